package s3

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/sparta-go/sparta/local/core"
)

// Namespace is the XML namespace of S3 documents.
const Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// timeFormat is how S3 writes timestamps in XML bodies.
const timeFormat = "2006-01-02T15:04:05.000Z"

func xmlTime(t time.Time) string { return t.UTC().Format(timeFormat) }

// Owner is the bucket and object owner, the local account's canonical user.
type Owner struct {
	ID          string
	DisplayName string `xml:",omitempty"`
}

type listAllMyBucketsResult struct {
	XMLName xml.Name `xml:"ListAllMyBucketsResult"`
	NS      string   `xml:"xmlns,attr"`
	Owner   Owner
	Buckets []bucketEntry `xml:"Buckets>Bucket"`
}

type bucketEntry struct {
	Name         string
	CreationDate string
	BucketRegion string `xml:",omitempty"`
}

type createBucketConfiguration struct {
	LocationConstraint string
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	NS      string   `xml:"xmlns,attr"`
	Value   string   `xml:",chardata"`
}

type versioningConfiguration struct {
	XMLName   xml.Name `xml:"VersioningConfiguration"`
	NS        string   `xml:"xmlns,attr,omitempty"`
	Status    string   `xml:",omitempty"`
	MfaDelete string   `xml:",omitempty"`
}

// PublicAccessBlock is a bucket's public access block configuration:
// BlockPublicPolicy refuses public bucket policies, RestrictPublicBuckets
// refuses anonymous access through a public one. BlockPublicAcls and
// IgnorePublicAcls hold trivially, as the local cloud refuses ACLs.
type PublicAccessBlock struct {
	XMLName               xml.Name `xml:"PublicAccessBlockConfiguration" json:"-"`
	NS                    string   `xml:"xmlns,attr,omitempty" json:"-"`
	BlockPublicAcls       bool
	IgnorePublicAcls      bool
	BlockPublicPolicy     bool
	RestrictPublicBuckets bool
}

// Encryption is a bucket's default encryption configuration. The local
// cloud stores it and reports the algorithm on objects; data at rest in the
// state directory is not encrypted.
type Encryption struct {
	XMLName xml.Name         `xml:"ServerSideEncryptionConfiguration" json:"-"`
	NS      string           `xml:"xmlns,attr,omitempty" json:"-"`
	Rules   []EncryptionRule `xml:"Rule"`
}

// EncryptionRule is one rule of [Encryption].
type EncryptionRule struct {
	ApplyServerSideEncryptionByDefault struct {
		SSEAlgorithm   string
		KMSMasterKeyID string `xml:",omitempty"`
	}
	BucketKeyEnabled bool `xml:",omitempty"`
}

type listBucketResultV2 struct {
	XMLName               xml.Name `xml:"ListBucketResult"`
	NS                    string   `xml:"xmlns,attr"`
	Name                  string
	Prefix                string
	Delimiter             string `xml:",omitempty"`
	MaxKeys               int
	KeyCount              int
	IsTruncated           bool
	ContinuationToken     string         `xml:",omitempty"`
	NextContinuationToken string         `xml:",omitempty"`
	StartAfter            string         `xml:",omitempty"`
	EncodingType          string         `xml:",omitempty"`
	Contents              []objectEntry  `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

type listBucketResultV1 struct {
	XMLName        xml.Name `xml:"ListBucketResult"`
	NS             string   `xml:"xmlns,attr"`
	Name           string
	Prefix         string
	Marker         string
	NextMarker     string `xml:",omitempty"`
	Delimiter      string `xml:",omitempty"`
	MaxKeys        int
	IsTruncated    bool
	EncodingType   string         `xml:",omitempty"`
	Contents       []objectEntry  `xml:"Contents"`
	CommonPrefixes []commonPrefix `xml:"CommonPrefixes"`
}

type objectEntry struct {
	Key               string
	LastModified      string
	ETag              string
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
	Size              int64
	Owner             *Owner `xml:",omitempty"`
	StorageClass      string
}

type commonPrefix struct {
	Prefix string
}

type copyObjectResult struct {
	XMLName      xml.Name `xml:"CopyObjectResult"`
	NS           string   `xml:"xmlns,attr"`
	ETag         string
	LastModified string
}

type deleteRequest struct {
	Quiet   bool
	Objects []struct {
		Key       string
		VersionID string `xml:"VersionId"`
	} `xml:"Object"`
}

type deleteResult struct {
	XMLName xml.Name        `xml:"DeleteResult"`
	NS      string          `xml:"xmlns,attr"`
	Deleted []deletedEntry  `xml:"Deleted"`
	Errors  []deleteErrorXM `xml:"Error"`
}

type deletedEntry struct {
	Key                   string
	VersionID             string `xml:"VersionId,omitempty"`
	DeleteMarker          bool   `xml:",omitempty"`
	DeleteMarkerVersionID string `xml:"DeleteMarkerVersionId,omitempty"`
}

type deleteErrorXM struct {
	Key     string
	Code    string
	Message string
}

type initiateMultipartUploadResult struct {
	XMLName  xml.Name `xml:"InitiateMultipartUploadResult"`
	NS       string   `xml:"xmlns,attr"`
	Bucket   string
	Key      string
	UploadID string `xml:"UploadId"`
}

type completeMultipartUpload struct {
	Parts []completePart `xml:"Part"`
}

type completePart struct {
	PartNumber        int
	ETag              string
	ChecksumCRC32     string `xml:",omitempty"`
	ChecksumCRC32C    string `xml:",omitempty"`
	ChecksumCRC64NVME string `xml:",omitempty"`
	ChecksumSHA1      string `xml:",omitempty"`
	ChecksumSHA256    string `xml:",omitempty"`
}

type completeMultipartUploadResult struct {
	XMLName           xml.Name `xml:"CompleteMultipartUploadResult"`
	NS                string   `xml:"xmlns,attr"`
	Location          string
	Bucket            string
	Key               string
	ETag              string
	ChecksumCRC32     string `xml:",omitempty"`
	ChecksumCRC32C    string `xml:",omitempty"`
	ChecksumCRC64NVME string `xml:",omitempty"`
	ChecksumSHA1      string `xml:",omitempty"`
	ChecksumSHA256    string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
}

type listPartsResult struct {
	XMLName              xml.Name `xml:"ListPartsResult"`
	NS                   string   `xml:"xmlns,attr"`
	Bucket               string
	Key                  string
	UploadID             string `xml:"UploadId"`
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	ChecksumAlgorithm    string `xml:",omitempty"`
	Initiator            Owner
	Owner                Owner
	StorageClass         string
	Parts                []partEntry `xml:"Part"`
}

type partEntry struct {
	PartNumber        int
	LastModified      string
	ETag              string
	Size              int64
	ChecksumCRC32     string `xml:",omitempty"`
	ChecksumCRC32C    string `xml:",omitempty"`
	ChecksumCRC64NVME string `xml:",omitempty"`
	ChecksumSHA1      string `xml:",omitempty"`
	ChecksumSHA256    string `xml:",omitempty"`
}

type policyStatus struct {
	XMLName  xml.Name `xml:"PolicyStatus"`
	NS       string   `xml:"xmlns,attr"`
	IsPublic bool
}

type listMultipartUploadsResult struct {
	XMLName     xml.Name `xml:"ListMultipartUploadsResult"`
	NS          string   `xml:"xmlns,attr"`
	Bucket      string
	KeyMarker   string
	Prefix      string
	MaxUploads  int
	IsTruncated bool
	Uploads     []uploadEntry `xml:"Upload"`
}

type uploadEntry struct {
	Key          string
	UploadID     string `xml:"UploadId"`
	Initiated    string
	StorageClass string
	Initiator    Owner
	Owner        Owner
}

// writeXML writes an S3 XML document with status 200.
func writeXML(w http.ResponseWriter, v any) {
	out, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(xml.Header)+len(out)))
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, xml.Header)
	_, _ = w.Write(out)
}

// readXML decodes a small XML request body into v.
func readXML(r *http.Request, what string, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	var aws *core.Error
	if errors.As(err, &aws) {
		return aws
	}
	if err != nil {
		return core.Errorf(http.StatusBadRequest, "IncompleteBody", "reading the %s body: %v", what, err)
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return errMalformedXML(what, err)
	}
	return nil
}
