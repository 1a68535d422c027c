package kms

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmsalias"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/honeyhive/platform/constructs/awsid"
)

// Purpose is the kind of data a key protects. It selects the AWS services that may use the
// key on a caller's behalf.
type Purpose string

const (
	// PurposeLogs is for telemetry: CloudWatch Logs log groups (flow logs,
	// cluster logs, container logs) and X-Ray traces.
	PurposeLogs Purpose = "logs"
	// PurposeCluster is for EKS envelope encryption of Kubernetes secrets.
	PurposeCluster Purpose = "cluster"
	// PurposeData is for S3 data buckets, RDS and Aurora, EBS volumes,
	// DynamoDB and AWS Backup.
	PurposeData Purpose = "data"
	// PurposeSecrets is for Secrets Manager secrets.
	PurposeSecrets Purpose = "secrets"
	// PurposeState is for the Terraform state bucket and lock table.
	PurposeState Purpose = "state"
)

// Purposes lists every known purpose in a stable order.
var Purposes = []Purpose{PurposeLogs, PurposeCluster, PurposeData, PurposeSecrets, PurposeState}

// purposeServices maps each purpose to the services, by endpoint prefix, that
// may use its key on a caller's behalf (kms:ViaService).
//
// PurposeLogs lists logs because CloudWatch Logs also calls KMS with the
// caller's credentials, and its user guide asks key owners to allow that
// through kms:ViaService. The service principal statement covers the calls
// that CloudWatch Logs makes as itself. X-Ray encrypts traces with the
// credentials of the caller that sends them, through xray.
var purposeServices = map[Purpose][]string{
	PurposeLogs:    {"logs", "xray"},
	PurposeCluster: {"eks"},
	PurposeData:    {"s3", "rds", "ec2", "dynamodb", "backup"},
	PurposeSecrets: {"secretsmanager"},
	PurposeState:   {"s3", "dynamodb"},
}

// purposeUsesGrants marks purposes whose services may create KMS grants to
// keep using the key after the caller's request ends (EKS, EBS through ec2,
// RDS, DynamoDB, AWS Backup, Secrets Manager). The grant statement allows only
// grants that a service requests for an AWS resource, so it gives nothing
// away where a service never creates one.
var purposeUsesGrants = map[Purpose]bool{
	PurposeCluster: true,
	PurposeData:    true,
	PurposeSecrets: true,
	PurposeState:   true,
}

// Defaults for KeyConfig.
const (
	DefaultPartition          = "aws"
	DefaultDeletionWindowDays = 30
)

// Limits that AWS KMS enforces.
const (
	minDeletionWindowDays = 7
	maxDeletionWindowDays = 30
	maxAliasNameLength    = 256 // including the "alias/" prefix
	aliasPrefix           = "alias/"
)

var aliasPattern = regexp.MustCompile(`^[a-zA-Z0-9/_-]+$`)

// supportedPartitions are the partitions whose service endpoints and service
// principals end in amazonaws.com, which the key policy relies on. The China
// partition uses amazonaws.com.cn endpoints and is not supported.
var supportedPartitions = []string{"aws", "aws-us-gov"}

// KeyConfig configures one customer-managed key.
type KeyConfig struct {
	// Alias is the alias name without the "alias/" prefix, for example
	// "prod-usw2-logs". Required.
	Alias string
	// Description is the key description. Default: "<Purpose> key for <Alias>".
	Description string
	// Purpose selects the services that may use the key. Required.
	Purpose Purpose
	// AccountID is the 12-digit ID of the account that owns the key. Required.
	AccountID string
	// Region is the region of the key, such as "us-west-2". Required.
	Region string
	// Partition is the AWS partition. Default: "aws".
	Partition string
	// AdminRoleARNs are the IAM roles that administer the key, such as the
	// deploy role. They get no use actions directly, but they can change the
	// key policy, so they must be trusted like the key's users. The roles
	// must exist when the key is created, because KMS rejects a key policy
	// that names an unknown principal. Required, at least one.
	AdminRoleARNs []string
	// DeletionWindowDays is how long a key scheduled for deletion can still be
	// recovered, 7 to 30. Default: 30.
	DeletionWindowDays int
	// Provider is the AWS provider for the key and alias, for keys in another
	// region than the stack's default provider. Default: nil, which uses the
	// stack's default AWS provider.
	Provider cdktf.TerraformProvider
}

// Key is a customer-managed symmetric KMS key with an alias.
type Key struct {
	constructs.Construct

	// ARN is the key ARN, a token.
	ARN *string
	// KeyID is the key ID, a token.
	KeyID *string
	// AliasName is "alias/<Alias>", known at synth time.
	AliasName string
	// AliasARN is the alias ARN, a token.
	AliasARN *string
	// Purpose is the purpose the key policy was built for.
	Purpose Purpose
}

func (c KeyConfig) withDefaults() KeyConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.DeletionWindowDays == 0 {
		c.DeletionWindowDays = DefaultDeletionWindowDays
	}
	if c.Description == "" {
		c.Description = fmt.Sprintf("%s key for %s", c.Purpose, c.Alias)
	}
	return c
}

// Validate returns every problem with the configuration, or nil.
func (c KeyConfig) Validate() error {
	var errs []error
	if err := validateAliasName("KeyConfig.Alias", c.Alias, 0); err != nil {
		errs = append(errs, err)
	}
	if _, ok := purposeServices[c.Purpose]; !ok {
		errs = append(errs, fmt.Errorf("kms: KeyConfig.Purpose: %q is unknown; use one of %s", c.Purpose, purposeList()))
	}
	errs = append(errs, validateAccess("KeyConfig", c.AccountID, c.Region, c.Partition, c.AdminRoleARNs, c.DeletionWindowDays)...)
	return errors.Join(errs...)
}

// validateAliasName checks an alias name, or an alias prefix when suffixLength
// is the length of the longest suffix that will be appended to it.
func validateAliasName(field, name string, suffixLength int) error {
	switch {
	case name == "":
		return fmt.Errorf("kms: %s is missing; set a name such as \"prod-usw2-logs\"", field)
	case strings.HasPrefix(name, aliasPrefix):
		return fmt.Errorf("kms: %s: %q starts with %q; leave the prefix out because it is added for you", field, name, aliasPrefix)
	case strings.HasPrefix(name, "aws/"):
		return fmt.Errorf("kms: %s: %q starts with \"aws/\", which AWS reserves for AWS managed keys; choose another name", field, name)
	case !aliasPattern.MatchString(name):
		return fmt.Errorf("kms: %s: %q is invalid; use only letters, digits, \"/\", \"_\" and \"-\"", field, name)
	case len(aliasPrefix)+len(name)+suffixLength > maxAliasNameLength:
		return fmt.Errorf("kms: %s: %q is too long; the alias name including %q must be at most %d characters", field, name, aliasPrefix, maxAliasNameLength)
	}
	return nil
}

// validateAccess checks the fields that KeyConfig and KeySetConfig share. typ
// is the config type named in the messages.
func validateAccess(typ, accountID, region, partition string, adminRoleARNs []string, deletionWindowDays int) []error {
	var errs []error
	if err := awsid.AccountID("kms: "+typ+".AccountID", accountID); err != nil {
		errs = append(errs, err)
	}
	if region == "" {
		errs = append(errs, fmt.Errorf("kms: %s.Region is missing; set the key's region, such as \"us-west-2\"", typ))
	} else if err := awsid.Region("kms: "+typ+".Region", region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("kms: "+typ+".Partition", partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}

	if len(adminRoleARNs) == 0 {
		errs = append(errs, fmt.Errorf("kms: %s.AdminRoleARNs is empty; list at least one IAM role that may administer the key, such as the deploy role", typ))
	}
	for i, arn := range adminRoleARNs {
		if err := awsid.RoleARN(fmt.Sprintf("kms: %s.AdminRoleARNs[%d]", typ, i), arn, partition); err != nil {
			errs = append(errs, err)
		}
	}

	if deletionWindowDays < minDeletionWindowDays || deletionWindowDays > maxDeletionWindowDays {
		errs = append(errs, fmt.Errorf("kms: %s.DeletionWindowDays: %d is out of range; use %d to %d days", typ, deletionWindowDays, minDeletionWindowDays, maxDeletionWindowDays))
	}
	return errs
}

func purposeList() string {
	names := make([]string, len(Purposes))
	for i, p := range Purposes {
		names[i] = fmt.Sprintf("%q", p)
	}
	return strings.Join(names, ", ")
}

// NewKey creates a customer-managed symmetric key for cfg.Purpose with
// automatic yearly rotation, the least-privilege key policy described in the
// package documentation, and the alias "alias/<Alias>". The key is protected
// by prevent_destroy because deleting it makes everything encrypted with it
// unreadable. NewKey panics if cfg is invalid.
func NewKey(scope constructs.Construct, id string, cfg KeyConfig) *Key {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	policy, err := keyPolicy(cfg)
	if err != nil {
		panic(fmt.Errorf("kms: building the key policy for %q: %w", cfg.Alias, err))
	}

	construct := constructs.NewConstruct(scope, jsii.String(id))
	aliasName := aliasPrefix + cfg.Alias

	key := kmskey.NewKmsKey(construct, jsii.String("key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String(cfg.Description),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(float64(cfg.DeletionWindowDays)),
		Policy:               jsii.String(policy),
		Tags:                 &map[string]*string{"Name": jsii.String(cfg.Alias)},
		Provider:             cfg.Provider,
		Lifecycle:            &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	alias := kmsalias.NewKmsAlias(construct, jsii.String("alias"), &kmsalias.KmsAliasConfig{
		Name:        jsii.String(aliasName),
		TargetKeyId: key.KeyId(),
		Provider:    cfg.Provider,
	})

	return &Key{
		Construct: construct,
		ARN:       key.Arn(),
		KeyID:     key.KeyId(),
		AliasName: aliasName,
		AliasARN:  alias.Arn(),
		Purpose:   cfg.Purpose,
	}
}
