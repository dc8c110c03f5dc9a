package service

// S3Site is a static website served from an S3 bucket, as Sparta's
// sparta.NewS3Site declares it: the contents of a local folder uploaded to a
// website bucket at provision time. Pass it to sparta.Main/MainEx.
//
// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html
type S3Site struct {
	resources string
}

// NewS3Site declares a site whose files are the contents of the folder
// resources.
func NewS3Site(resources string) (*S3Site, error) {
	return &S3Site{resources: resources}, nil
}

// Resources is the local folder whose contents make up the site.
func (s *S3Site) Resources() string { return s.resources }
