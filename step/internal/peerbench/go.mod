module github.com/sparta-go/sparta/step/internal/peerbench

go 1.26

replace github.com/sparta-go/sparta => ../../..

require (
	github.com/coinbase/step v1.0.6
	github.com/sparta-go/sparta v0.0.0-00010101000000-000000000000
)

require (
	github.com/aws/aws-lambda-go v1.47.0 // indirect
	github.com/aws/aws-sdk-go v1.31.8 // indirect
	github.com/aws/aws-sdk-go-v2 v1.36.3 // indirect
	github.com/aws/aws-sdk-go-v2/internal/configsources v1.3.34 // indirect
	github.com/aws/aws-sdk-go-v2/internal/endpoints/v2 v2.6.34 // indirect
	github.com/aws/aws-sdk-go-v2/service/cloudformation v1.60.1 // indirect
	github.com/aws/smithy-go v1.22.2 // indirect
	github.com/awslabs/goformation/v7 v7.14.9 // indirect
	github.com/blues/jsonata-go v1.5.4 // indirect
	github.com/jmespath/go-jmespath v0.3.0 // indirect
	github.com/sirupsen/logrus v1.9.3 // indirect
	golang.org/x/sys v0.33.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
