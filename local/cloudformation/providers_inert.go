package cloudformation

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/sparta-go/sparta/local/resource"
)

// Inert providers: resource types that are valid in real stacks (a Fargate
// service's network, its dashboard and alarms) but have no meaning on one
// machine. They are accepted, checked for their required properties, and
// tracked with physical IDs and attributes shaped like AWS's, so that
// templates referring to them (Ref, Fn::GetAtt) deploy unchanged.
// Replacement follows "Update requires: Replacement" in the resource
// reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-template-resource-type-ref.html

// InertProviders returns the providers of the inert types: AWS::EC2::VPC,
// Subnet, InternetGateway, VPCGatewayAttachment, RouteTable, Route,
// SubnetRouteTableAssociation, SecurityGroup, AWS::CloudWatch::Dashboard
// and Alarm.
func InertProviders() map[string]resource.Provider {
	return map[string]resource.Provider{
		"AWS::EC2::VPC": &inert{
			required:  []string{"CidrBlock"},
			replaceOn: []string{"CidrBlock", "Ipv4IpamPoolId", "Ipv4NetmaskLength"},
			make: func(req resource.Request, id func(string) string) (string, map[string]any) {
				vpc := id("vpc-")
				return vpc, map[string]any{
					"VpcId": vpc, "CidrBlock": str(req.Properties["CidrBlock"]),
					"CidrBlockAssociations": []any{id("vpc-cidr-assoc-")},
					"DefaultNetworkAcl":     id("acl-"), "DefaultSecurityGroup": id("sg-"),
					"Ipv6CidrBlocks": []any{},
				}
			},
		},
		"AWS::EC2::Subnet": &inert{
			required:  []string{"VpcId"},
			replaceOn: []string{"AvailabilityZone", "AvailabilityZoneId", "CidrBlock", "VpcId", "Ipv6CidrBlock", "OutpostArn"},
			make: func(req resource.Request, id func(string) string) (string, map[string]any) {
				subnet := id("subnet-")
				az := str(req.Properties["AvailabilityZone"])
				if az == "" {
					az = req.Region + "a"
				}
				return subnet, map[string]any{
					"SubnetId": subnet, "VpcId": str(req.Properties["VpcId"]), "AvailabilityZone": az,
					"AvailabilityZoneId": azID(req.Region, az), "CidrBlock": str(req.Properties["CidrBlock"]),
					"Ipv6CidrBlocks": []any{}, "NetworkAclAssociationId": id("aclassoc-"), "OutpostArn": "",
				}
			},
		},
		"AWS::EC2::InternetGateway": &inert{
			make: func(_ resource.Request, id func(string) string) (string, map[string]any) {
				igw := id("igw-")
				return igw, map[string]any{"InternetGatewayId": igw}
			},
		},
		"AWS::EC2::VPCGatewayAttachment": &inert{
			required:  []string{"VpcId"},
			replaceOn: []string{"VpcId"},
			make: func(req resource.Request, id func(string) string) (string, map[string]any) {
				// AWS names the attachment after the gateway kind and the VPC.
				kind := "igw"
				if str(req.Properties["InternetGatewayId"]) == "" {
					kind = "vgw"
				}
				return strings.ToUpper(kind) + "|" + str(req.Properties["VpcId"]), map[string]any{"AttachmentType": kind}
			},
		},
		"AWS::EC2::RouteTable": &inert{
			required:  []string{"VpcId"},
			replaceOn: []string{"VpcId"},
			make: func(_ resource.Request, id func(string) string) (string, map[string]any) {
				rtb := id("rtb-")
				return rtb, map[string]any{"RouteTableId": rtb}
			},
		},
		"AWS::EC2::Route": &inert{
			required:  []string{"RouteTableId"},
			replaceOn: []string{"RouteTableId", "DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId"},
			make: func(req resource.Request, _ func(string) string) (string, map[string]any) {
				dest := str(req.Properties["DestinationCidrBlock"])
				if dest == "" {
					dest = str(req.Properties["DestinationIpv6CidrBlock"])
				}
				return str(req.Properties["RouteTableId"]) + "|" + dest, map[string]any{"CidrBlock": dest}
			},
		},
		"AWS::EC2::SubnetRouteTableAssociation": &inert{
			required:  []string{"RouteTableId", "SubnetId"},
			replaceOn: []string{"SubnetId"},
			make: func(_ resource.Request, id func(string) string) (string, map[string]any) {
				assoc := id("rtbassoc-")
				return assoc, map[string]any{"Id": assoc}
			},
		},
		"AWS::EC2::SecurityGroup": &inert{
			required:  []string{"GroupDescription"},
			replaceOn: []string{"GroupDescription", "GroupName", "VpcId"},
			make: func(req resource.Request, id func(string) string) (string, map[string]any) {
				sg := id("sg-")
				return sg, map[string]any{"GroupId": sg, "VpcId": str(req.Properties["VpcId"])}
			},
		},
		"AWS::CloudWatch::Dashboard": &inert{
			required:  []string{"DashboardBody"},
			replaceOn: []string{"DashboardName"},
			make: func(req resource.Request, _ func(string) string) (string, map[string]any) {
				return nameOr(req, "DashboardName", 255), map[string]any{}
			},
		},
		"AWS::CloudWatch::Alarm": &inert{
			required:  []string{"ComparisonOperator", "EvaluationPeriods"},
			replaceOn: []string{"AlarmName"},
			make: func(req resource.Request, _ func(string) string) (string, map[string]any) {
				name := nameOr(req, "AlarmName", 255)
				return name, map[string]any{"Arn": fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", req.Region, req.AccountID, name)}
			},
		},
	}
}

// inert is a provider that records a resource and nothing else.
type inert struct {
	required  []string
	replaceOn []string
	// make returns the physical ID (also what Ref returns) and attributes.
	make func(req resource.Request, id func(prefix string) string) (string, map[string]any)
}

func (p *inert) check(req resource.Request) error {
	var missing []string
	for _, k := range p.required {
		if req.Properties[k] == nil {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("Properties validation failed for resource %s with message: #: required key [%s] not found", req.LogicalID, strings.Join(missing, ", "))
	}
	return nil
}

// Create records the resource under a new physical ID.
func (p *inert) Create(_ context.Context, req resource.Request) (resource.Result, error) {
	if err := p.check(req); err != nil {
		return resource.Result{}, err
	}
	phys, attrs := p.make(req, randomID)
	return resource.Result{PhysicalID: phys, Attributes: attrs}, nil
}

// Update keeps the physical ID and the generated IDs among the
// attributes (the engine keeps attributes Update does not return), and
// recomputes the attributes that come from properties.
func (p *inert) Update(_ context.Context, req resource.Request) (resource.Result, error) {
	if err := p.check(req); err != nil {
		return resource.Result{}, err
	}
	const generated = "\x00generated"
	_, attrs := p.make(req, func(string) string { return generated })
	for k, v := range attrs {
		if s, ok := v.(string); ok && s == generated {
			delete(attrs, k)
		}
		if l, ok := v.([]any); ok && len(l) == 1 && l[0] == generated {
			delete(attrs, k)
		}
	}
	return resource.Result{PhysicalID: req.PhysicalID, Attributes: attrs}, nil
}

// Delete has nothing to remove.
func (p *inert) Delete(context.Context, resource.Request) error { return nil }

// RequiresReplacement reports a change to a property whose update
// requires replacement.
func (p *inert) RequiresReplacement(old, new map[string]any) bool {
	return resource.ReplaceOnChange(old, new, p.replaceOn...)
}

// randomID returns prefix followed by 17 hex digits, the shape of EC2 IDs.
func randomID(prefix string) string {
	var b [9]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])[:17]
}

// nameOr returns the name property, else a name generated the way
// CloudFormation does: stack-LogicalID-RANDOM, within max characters.
func nameOr(req resource.Request, prop string, max int) string {
	if n := str(req.Properties[prop]); n != "" {
		return n
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	suffix := strings.ToUpper(hex.EncodeToString(b[:]))
	name := req.StackName + "-" + req.LogicalID
	if len(name)+1+len(suffix) > max {
		name = name[:max-1-len(suffix)]
	}
	return name + "-" + suffix
}

// azID maps an availability zone to a zone ID shaped like AWS's
// (us-east-1a -> use1-az1).
func azID(region, az string) string {
	parts := strings.Split(region, "-")
	short := ""
	for _, p := range parts {
		if p != "" {
			short += p[:1]
		}
	}
	if len(parts) > 0 {
		short = short[:len(short)-1] + parts[len(parts)-1]
	}
	n := 1
	if az != "" {
		n = int(az[len(az)-1]-'a') + 1
		if n < 1 || n > 9 {
			n = 1
		}
	}
	return fmt.Sprintf("%s-az%d", short, n)
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}
