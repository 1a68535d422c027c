package kms

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
)

// keySetPurposes are the purposes NewKeySet creates a key for, in creation
// order. The state key belongs to the state backend, not to a key set.
var keySetPurposes = []Purpose{PurposeLogs, PurposeCluster, PurposeData, PurposeSecrets}

// longestKeySetSuffix is the longest "-<purpose>" suffix NewKeySet appends to
// the name prefix.
const longestKeySetSuffix = len("-secrets")

// KeySetConfig configures the keys of one environment and region.
type KeySetConfig struct {
	// NamePrefix starts every alias, such as "prod-usw2", which gives
	// "prod-usw2-logs". Required.
	NamePrefix string
	// AccountID is the 12-digit ID of the account that owns the keys. Required.
	AccountID string
	// Region is the region of the keys. Required.
	Region string
	// Partition is the AWS partition. Default: "aws".
	Partition string
	// AdminRoleARNs are the IAM roles that administer the keys. They get no
	// use actions directly, but they can change the key policies, so they
	// must be trusted like the keys' users. Required, at least one.
	AdminRoleARNs []string
	// DeletionWindowDays applies to every key, 7 to 30. Default: 30.
	DeletionWindowDays int
	// Provider is the AWS provider for every key and alias. Default: nil,
	// which uses the stack's default AWS provider.
	Provider cdktf.TerraformProvider
	// Existing names keys someone else owns, by purpose, such as a
	// customer's own data key. The set uses those ARNs and creates keys only
	// for the other purposes. Default: empty, which creates every key.
	Existing map[Purpose]string
}

// KeySet is one key per purpose other than PurposeState. A key the set uses
// from KeySetConfig.Existing has only its ARN and Purpose set.
type KeySet struct {
	constructs.Construct

	// Logs encrypts CloudWatch Logs log groups.
	Logs *Key
	// Cluster encrypts Kubernetes secrets in EKS.
	Cluster *Key
	// Data encrypts S3 data buckets, databases, EBS volumes, DynamoDB tables
	// and backups.
	Data *Key
	// Secrets encrypts Secrets Manager secrets.
	Secrets *Key
}

func (c KeySetConfig) withDefaults() KeySetConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.DeletionWindowDays == 0 {
		c.DeletionWindowDays = DefaultDeletionWindowDays
	}
	return c
}

// Validate returns every problem with the configuration, or nil.
func (c KeySetConfig) Validate() error {
	var errs []error
	if err := validateAliasName("KeySetConfig.NamePrefix", c.NamePrefix, longestKeySetSuffix); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, validateAccess("KeySetConfig", c.AccountID, c.Region, c.Partition, c.AdminRoleARNs, c.DeletionWindowDays)...)
	for _, purpose := range slices.Sorted(maps.Keys(c.Existing)) {
		field := fmt.Sprintf("KeySetConfig.Existing[%s]", purpose)
		if !slices.Contains(keySetPurposes, purpose) {
			errs = append(errs, fmt.Errorf("kms: %s: a key set has no %q key; use one of logs, cluster, data, secrets", field, purpose))
			continue
		}
		if err := awsid.KMSKeyARN("kms: "+field, jsii.String(c.Existing[purpose])); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c KeySetConfig) keyConfig(purpose Purpose) KeyConfig {
	return KeyConfig{
		Alias:              c.NamePrefix + "-" + string(purpose),
		Purpose:            purpose,
		AccountID:          c.AccountID,
		Region:             c.Region,
		Partition:          c.Partition,
		AdminRoleARNs:      c.AdminRoleARNs,
		DeletionWindowDays: c.DeletionWindowDays,
		Provider:           c.Provider,
	}
}

// NewKeySet creates one key per purpose: logs, cluster, data and secrets, with
// those construct IDs and the aliases "<NamePrefix>-<purpose>". Separate keys
// let IAM policies allow each key on its own, and each key policy admits only
// the services of its purpose. NewKeySet panics if cfg is invalid.
func NewKeySet(scope constructs.Construct, id string, cfg KeySetConfig) *KeySet {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	construct := constructs.NewConstruct(scope, jsii.String(id))
	keys := make(map[Purpose]*Key, len(keySetPurposes))
	for _, purpose := range keySetPurposes {
		if arn, ok := cfg.Existing[purpose]; ok {
			keys[purpose] = &Key{ARN: jsii.String(arn), Purpose: purpose}
			continue
		}
		keys[purpose] = NewKey(construct, string(purpose), cfg.keyConfig(purpose))
	}

	return &KeySet{
		Construct: construct,
		Logs:      keys[PurposeLogs],
		Cluster:   keys[PurposeCluster],
		Data:      keys[PurposeData],
		Secrets:   keys[PurposeSecrets],
	}
}
