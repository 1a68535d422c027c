package dns

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route53zone"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// Limits of domain names in text form, in characters. A name of 253
// characters takes the 255 octets the DNS wire format allows.
const (
	maxDomainNameLength = 253
	maxLabelLength      = 63
)

// maxCommentLength is the maximum length of a hosted zone comment in the
// Route 53 API.
const maxCommentLength = 256

// defaultCommentPrefix starts the default PrivateZoneConfig.Comment, which
// is followed by the zone name.
const defaultCommentPrefix = "Private zone for "

var (
	// labelPattern is one lowercase host name label: letters, digits and hyphens,
	// with no hyphen at either end.
	labelPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)
)

// PrivateZoneConfig configures a private hosted zone.
type PrivateZoneConfig struct {
	// Name is the zone's domain name, lowercase and without a trailing dot,
	// for example "usw2.internal.prod.honeyhive.ai".
	Name string

	// VPCID is the VPC the zone is associated with. Only that VPC resolves
	// names in the zone.
	VPCID *string

	// Region is the VPC's region, for example "us-west-2".
	Region string

	// Comment describes the zone in the Route 53 console, up to 256
	// characters. Default: "Private zone for <Name>".
	Comment string
}

// PrivateZone is a Route 53 private hosted zone associated with one VPC.
//
// Other systems depend on the zone's records, so deletion is blocked twice.
// prevent_destroy makes Terraform reject any plan that destroys the zone. With
// force_destroy off, deleting the zone still fails while it contains records,
// even if the lifecycle block is removed.
//
// The VPC association is an inline vpc block, and the AWS provider treats
// inline associations as the complete list. A separate
// aws_route53_zone_association for a second VPC would make every plan try to
// remove that VPC, so a second VPC needs a change to this construct.
type PrivateZone struct {
	constructs.Construct

	// ZoneID is the Route 53 hosted zone ID, for records and IAM policies.
	ZoneID *string

	// Name is the zone's domain name, as given in PrivateZoneConfig.Name.
	Name string

	// ARN is the hosted zone's ARN.
	ARN *string

	// NameServers are the name servers Route 53 assigns to the zone. A
	// private zone resolves only from its associated VPCs, so no parent zone
	// delegates to these servers.
	NameServers *[]*string
}

// NewPrivateZone creates a private hosted zone associated with cfg.VPCID. It
// panics if cfg is invalid after defaults are applied.
func NewPrivateZone(scope constructs.Construct, id string, cfg PrivateZoneConfig) *PrivateZone {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	// The zone is created in construct, not in the returned struct, because
	// jsii rejects a Go struct that embeds a construct as the scope of
	// another construct.
	construct := constructs.NewConstruct(scope, jsii.String(id))
	zone := route53zone.NewRoute53Zone(construct, jsii.String("zone"), &route53zone.Route53ZoneConfig{
		Name:    jsii.String(cfg.Name),
		Comment: jsii.String(cfg.Comment),
		Vpc: &[]*route53zone.Route53ZoneVpc{{
			VpcId:     cfg.VPCID,
			VpcRegion: jsii.String(cfg.Region),
		}},
		ForceDestroy: jsii.Bool(false),
		Lifecycle: &cdktf.TerraformResourceLifecycle{
			PreventDestroy: jsii.Bool(true),
		},
		Tags: &map[string]*string{"Name": jsii.String(cfg.Name)},
	})

	return &PrivateZone{
		Construct:   construct,
		ZoneID:      zone.ZoneId(),
		Name:        cfg.Name,
		ARN:         zone.Arn(),
		NameServers: zone.NameServers(),
	}
}

// withDefaults returns a copy of c with an empty Comment set to the default.
func (c PrivateZoneConfig) withDefaults() PrivateZoneConfig {
	if c.Comment == "" {
		c.Comment = defaultCommentPrefix + c.Name
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c PrivateZoneConfig) Validate() error {
	errs := validateZoneName(c.Name)
	if c.VPCID == nil {
		errs = append(errs, errors.New("dns: PrivateZoneConfig.VPCID is missing; set it to the ID of the VPC that resolves the zone"))
	}

	if c.Region == "" {
		errs = append(errs, errors.New(`dns: PrivateZoneConfig.Region is empty; set it to the VPC's region, for example "us-west-2"`))
	} else if err := awsid.Region("dns: PrivateZoneConfig.Region", c.Region); err != nil {
		errs = append(errs, err)
	}

	if n := len(c.Comment); n > maxCommentLength {
		errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Comment is %d characters; shorten it to at most %d", n, maxCommentLength))
	}
	return errors.Join(errs...)
}

// validateZoneName checks that name is a lowercase domain name of at least
// two labels with no trailing dot. It reports a trailing dot and uppercase
// letters with the corrected name, then checks the labels of that corrected
// name, so one mistake is reported once.
func validateZoneName(name string) []error {
	if name == "" {
		return []error{errors.New(`dns: PrivateZoneConfig.Name is empty; set it to the zone's domain name, for example "usw2.internal.prod.honeyhive.ai"`)}
	}

	var errs []error
	normalized := name
	if trimmed, ok := strings.CutSuffix(normalized, "."); ok {
		normalized = trimmed
		errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: %q ends with a dot; use %q without the trailing dot", name, normalized))
	}
	if lower := strings.ToLower(normalized); lower != normalized {
		normalized = lower
		errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: %q contains uppercase letters; use %q", name, normalized))
	}

	if n := len(normalized); n > maxDomainNameLength {
		errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: %q is %d characters; use a name of at most %d", name, n, maxDomainNameLength))
	}

	labels := strings.Split(normalized, ".")
	if len(labels) < 2 {
		errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: %q is a single label; use a subdomain of the environment's domain, for example %q", name, "usw2.internal.prod.honeyhive.ai"))
	}
	for i, label := range labels {
		switch {
		case label == "":
			errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: %q has an empty label at position %d; remove the extra dot", name, i))
		case len(label) > maxLabelLength:
			errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: label %q of %q is %d characters; shorten it to at most %d", label, name, len(label), maxLabelLength))
		case !labelPattern.MatchString(label):
			errs = append(errs, fmt.Errorf("dns: PrivateZoneConfig.Name: label %q of %q is invalid; use lowercase letters, digits and hyphens, with no hyphen at the start or end", label, name))
		}
	}
	return errs
}
