package accountbaseline

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/accessanalyzeranalyzer"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ebsdefaultkmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/ebsencryptionbydefault"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/s3accountpublicaccessblock"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultPartition is the default of Config.Partition.
const DefaultPartition = "aws"

// analyzerSuffix is appended to Config.Name to form the analyzer name.
const analyzerSuffix = "-account"

// maxAnalyzerNameLength is the longest analyzer name that IAM Access
// Analyzer accepts.
const maxAnalyzerNameLength = 255

// namePattern matches a name that starts with a letter and continues with
// letters, digits, ".", "_" and "-", which IAM Access Analyzer accepts in an
// analyzer name.
var namePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)

// supportedPartitions are the partitions the platform deploys to. The
// China partition is not one of them.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// Config configures New.
type Config struct {
	// AccountID is the 12-digit ID of the account the stack deploys to.
	// Required.
	AccountID string

	// Region is the region of the stack's default AWS provider, such as
	// "us-west-2". Default EBS encryption and the analyzer apply to this
	// region only. Required.
	Region string

	// Partition is the AWS partition. Default: DefaultPartition.
	Partition string

	// Name is the prefix of the analyzer name, "<Name>-account", such as
	// "prod". Required.
	Name string

	// EBSKMSKeyARN is the customer-managed key that encrypts new EBS volumes
	// and snapshot copies in Region by default, usually the data key of
	// Region's substrate stack. A literal ARN must be a key ARN in Region.
	// Its key policy must let EC2 and the Auto Scaling and Spot
	// service-linked roles use it, or instances with encrypted volumes fail
	// to launch. Required.
	EBSKMSKeyARN *string
}

// Baseline is the account-wide guardrails of one account and region.
type Baseline struct {
	constructs.Construct

	// AnalyzerARN is the ARN of the account analyzer, a token.
	AnalyzerARN *string
	// AnalyzerName is the analyzer's name, "<Name>-account".
	AnalyzerName string
}

func (c Config) withDefaults() Config {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	return c
}

// Validate returns every problem with the configuration, joined, or nil.
// New applies defaults first, so call it on a config with defaults when
// zero values should count as unset.
func (c Config) Validate() error {
	var errs []error
	if err := awsid.AccountID("accountbaseline: Config.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("accountbaseline: Config.Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("accountbaseline: Config.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}

	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`accountbaseline: Config.Name is missing; set a prefix such as "prod"`))
	case !namePattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf("accountbaseline: Config.Name: %q is invalid; start with a letter and use only letters, digits, \".\", \"_\" and \"-\"", c.Name))
	case len(c.Name)+len(analyzerSuffix) > maxAnalyzerNameLength:
		errs = append(errs, fmt.Errorf("accountbaseline: Config.Name: %q is too long; use at most %d characters", c.Name, maxAnalyzerNameLength-len(analyzerSuffix)))
	}

	if err := awsid.KMSKeyARN("accountbaseline: Config.EBSKMSKeyARN", c.EBSKMSKeyARN); err != nil {
		errs = append(errs, err)
	} else if !*cdktf.Token_IsUnresolved(c.EBSKMSKeyARN) && awsid.Region("", c.Region) == nil {
		// A valid key ARN has the form arn:<partition>:kms:<region>:<account>:key/<id>.
		parts := strings.Split(*c.EBSKMSKeyARN, ":")
		keyPartition, keyRegion := parts[1], parts[3]
		if keyPartition != c.Partition {
			errs = append(errs, fmt.Errorf("accountbaseline: Config.EBSKMSKeyARN: %q is in partition %q, not %q; pass a key of partition %q", *c.EBSKMSKeyARN, keyPartition, c.Partition, c.Partition))
		}
		if keyRegion != c.Region {
			errs = append(errs, fmt.Errorf("accountbaseline: Config.EBSKMSKeyARN: %q is in region %q, not %q; EBS uses a default key of its own region only, so pass the data key of %s", *c.EBSKMSKeyARN, keyRegion, c.Region, c.Region))
		}
	}
	return errors.Join(errs...)
}

// New creates the account baseline. An account-level S3 public access block
// with all four settings on blocks public ACLs and policies on every bucket,
// whatever the bucket's own settings. Default EBS encryption in Region uses
// cfg.EBSKMSKeyARN as the default key. An IAM Access Analyzer analyzer of
// type ACCOUNT reports resources in Region that principals outside the
// account can reach.
//
// The public access block applies to the whole account. Default EBS
// encryption, its key and the analyzer are regional settings, so each
// region that runs workloads needs its own. The global stack calls New for
// the primary region only, with the primary region's substrate data key.
// Another region, such as the disaster-recovery region, stays without
// default EBS encryption until a stack there sets it. New panics if cfg is
// invalid after defaults are applied.
func New(scope constructs.Construct, id string, cfg Config) *Baseline {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	analyzerName := cfg.Name + analyzerSuffix

	construct := constructs.NewConstruct(scope, jsii.String(id))

	s3accountpublicaccessblock.NewS3AccountPublicAccessBlock(construct, jsii.String("s3_public_access_block"), &s3accountpublicaccessblock.S3AccountPublicAccessBlockConfig{
		AccountId:             jsii.String(cfg.AccountID),
		BlockPublicAcls:       jsii.Bool(true),
		BlockPublicPolicy:     jsii.Bool(true),
		IgnorePublicAcls:      jsii.Bool(true),
		RestrictPublicBuckets: jsii.Bool(true),
	})

	// Encryption by default waits for the default key, so that no volume
	// created in between gets the AWS managed key aws/ebs.
	defaultKey := ebsdefaultkmskey.NewEbsDefaultKmsKey(construct, jsii.String("ebs_default_kms_key"), &ebsdefaultkmskey.EbsDefaultKmsKeyConfig{
		KeyArn: cfg.EBSKMSKeyARN,
	})
	ebsencryptionbydefault.NewEbsEncryptionByDefault(construct, jsii.String("ebs_encryption_by_default"), &ebsencryptionbydefault.EbsEncryptionByDefaultConfig{
		Enabled:   jsii.Bool(true),
		DependsOn: &[]cdktf.ITerraformDependable{defaultKey},
	})

	analyzer := accessanalyzeranalyzer.NewAccessanalyzerAnalyzer(construct, jsii.String("access_analyzer"), &accessanalyzeranalyzer.AccessanalyzerAnalyzerConfig{
		AnalyzerName: jsii.String(analyzerName),
		Type:         jsii.String("ACCOUNT"),
		Tags:         &map[string]*string{"Name": jsii.String(analyzerName)},
	})

	return &Baseline{
		Construct:    construct,
		AnalyzerARN:  analyzer.Arn(),
		AnalyzerName: analyzerName,
	}
}
