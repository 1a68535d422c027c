package sharedsecrets

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/kmskey"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecret"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretpolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/secretsmanagersecretrotation"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
)

// Defaults for SecretConfig.
const (
	DefaultPartition    = "aws"
	DefaultRotationDays = 30
)

// Fixed settings of every secret and its key.
const (
	// recoveryWindowDays is the longest window Secrets Manager allows for
	// restoring a deleted secret.
	recoveryWindowDays = 30
	// keyDeletionWindowDays is the longest window KMS allows for cancelling
	// a key deletion.
	keyDeletionWindowDays = 30
)

// Limits that Secrets Manager enforces.
const (
	maxNameLength        = 512
	maxDescriptionLength = 2048
	minRotationDays      = 1
	maxRotationDays      = 1000
)

// supportedPartitions are the partitions whose Secrets Manager endpoints end
// in amazonaws.com, which the key policy's kms:ViaService condition relies on.
var supportedPartitions = []string{"aws", "aws-us-gov"}

var (
	secretNamePattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)

	// lambdaARNPattern matches the ARN of a Lambda function, optionally with
	// a version or alias qualifier.
	lambdaARNPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]{1,128})?$`)
)

// SecretConfig configures one shared secret and its KMS key.
type SecretConfig struct {
	// Name is the secret name, such as "platform/twingate-api-token": up to
	// 512 letters, digits and "/_+=.@-". Required.
	Name string
	// Description is the secret's description. Default: none.
	Description string
	// AccountID is the 12-digit ID of the account that owns the secret.
	// Required.
	AccountID string
	// Region is the secret's region, which must be the region of the stack's
	// default AWS provider, such as "us-west-2". Required.
	Region string
	// Partition is the AWS partition. Default: "aws".
	Partition string

	// ReaderRoleARNs are the exact ARNs of the IAM roles, in any account,
	// that may read the value. Wildcards are rejected. Required, at least one.
	ReaderRoleARNs []string
	// AdminRoleARNs are the IAM roles that administer the key, such as the
	// deploy role. Required, at least one.
	AdminRoleARNs []string
	// WriterRoleARNs are the IAM roles that set the value. They may encrypt
	// a new value but not decrypt it, and they also need an IAM policy
	// allowing secretsmanager:PutSecretValue on the secret.
	// Default: AdminRoleARNs.
	WriterRoleARNs []string

	// RotationLambdaARN is the ARN of the Lambda function that rotates the
	// value. Setting it turns on rotation every RotationDays. The function
	// needs a resource policy that lets secretsmanager.amazonaws.com invoke
	// it. Default: empty, no rotation.
	RotationLambdaARN string
	// RotationRoleARN is the execution role of the rotation function. The
	// key policy lets it decrypt and encrypt the value, and it needs an IAM
	// policy for the Secrets Manager actions of rotation. Required with
	// RotationLambdaARN.
	RotationRoleARN string
	// RotationDays is the number of days between rotations, 1 to 1000. Used
	// only with RotationLambdaARN. Default: 30.
	RotationDays int
}

// Secret is a Secrets Manager secret without a value, its KMS key and its
// resource policy.
type Secret struct {
	constructs.Construct
	// Name is the secret name, known at synth time.
	Name string
	// ARN is the secret ARN, a token.
	ARN *string
	// KeyARN is the ARN of the secret's KMS key, a token. Readers in other
	// accounts need kms:Decrypt on it in their own IAM policy.
	KeyARN *string
}

func (c SecretConfig) withDefaults() SecretConfig {
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if len(c.WriterRoleARNs) == 0 {
		c.WriterRoleARNs = c.AdminRoleARNs
	}
	if c.rotates() && c.RotationDays == 0 {
		c.RotationDays = DefaultRotationDays
	}
	return c
}

func (c SecretConfig) rotates() bool {
	return c.RotationLambdaARN != ""
}

// Validate returns every problem with the configuration, or nil.
func (c SecretConfig) Validate() error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`sharedsecrets: SecretConfig.Name is missing; set a name such as "platform/twingate-api-token"`))
	case len(c.Name) > maxNameLength:
		errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.Name: %q is too long; use at most %d characters", c.Name, maxNameLength))
	case !secretNamePattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.Name: %q is invalid; use only letters, digits and \"/_+=.@-\"", c.Name))
	}
	if len(c.Description) > maxDescriptionLength {
		errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.Description is %d characters long; shorten it to at most %d", len(c.Description), maxDescriptionLength))
	}

	if err := awsid.AccountID("sharedsecrets: SecretConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Region("sharedsecrets: SecretConfig.Region", c.Region); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("sharedsecrets: SecretConfig.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}

	errs = append(errs, validateRoles("ReaderRoleARNs", c.ReaderRoleARNs, c.Partition, "list the exact ARNs of the roles that may read the secret")...)
	errs = append(errs, validateRoles("AdminRoleARNs", c.AdminRoleARNs, c.Partition, "list at least one role that may administer the key, such as the deploy role")...)
	errs = append(errs, validateRoles("WriterRoleARNs", c.WriterRoleARNs, c.Partition, "list the roles that set the value, or leave it empty to use AdminRoleARNs")...)

	errs = append(errs, c.validateRotation()...)
	return errors.Join(errs...)
}

// validateRoles checks a required list of exact role ARNs. fix is the advice
// for an empty list.
func validateRoles(field string, arns []string, partition, fix string) []error {
	if len(arns) == 0 {
		return []error{fmt.Errorf("sharedsecrets: SecretConfig.%s is empty; %s", field, fix)}
	}
	var errs []error
	for i, arn := range arns {
		if err := awsid.RoleARN(fmt.Sprintf("sharedsecrets: SecretConfig.%s[%d]", field, i), arn, partition); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

func (c SecretConfig) validateRotation() []error {
	if !c.rotates() {
		var errs []error
		if c.RotationRoleARN != "" {
			errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.RotationRoleARN: %q is set but RotationLambdaARN is empty; set both or neither", c.RotationRoleARN))
		}
		if c.RotationDays != 0 {
			errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.RotationDays: %d is set but RotationLambdaARN is empty; set RotationLambdaARN or leave RotationDays at 0", c.RotationDays))
		}
		return errs
	}

	var errs []error
	if !*cdktf.Token_IsUnresolved(jsii.String(c.RotationLambdaARN)) && !lambdaARNPattern.MatchString(c.RotationLambdaARN) {
		errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.RotationLambdaARN: %q is not a Lambda function ARN; use the form %q", c.RotationLambdaARN, "arn:"+c.Partition+":lambda:<region>:<account>:function:<name>"))
	}
	if c.RotationRoleARN == "" {
		errs = append(errs, errors.New("sharedsecrets: SecretConfig.RotationRoleARN is missing; set the execution role of the rotation function, which must decrypt and encrypt the value"))
	} else if err := awsid.RoleARN("sharedsecrets: SecretConfig.RotationRoleARN", c.RotationRoleARN, c.Partition); err != nil {
		errs = append(errs, err)
	}
	if c.RotationDays < minRotationDays || c.RotationDays > maxRotationDays {
		errs = append(errs, fmt.Errorf("sharedsecrets: SecretConfig.RotationDays: %d is out of range; use %d to %d days", c.RotationDays, minRotationDays, maxRotationDays))
	}
	return errs
}

// NewSecret creates a KMS key for one secret, the secret without a value, its
// resource policy and, when cfg.RotationLambdaARN is set, its rotation
// schedule. The package documentation describes the key and secret policies.
//
// The key and the secret are protected by prevent_destroy, and a deleted
// secret stays recoverable for 30 days. Rotation does not run when it is
// turned on, because the value is set outside Terraform and may not exist
// yet, so the first rotation runs RotationDays later.
//
// NewSecret panics if cfg is invalid.
func NewSecret(scope constructs.Construct, id string, cfg SecretConfig) *Secret {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	keyPolicyJSON, err := keyPolicy(cfg)
	if err != nil {
		panic(fmt.Errorf("sharedsecrets: building the key policy for %q: %w", cfg.Name, err))
	}
	construct := constructs.NewConstruct(scope, jsii.String(id))
	tags := &map[string]*string{"Name": jsii.String(cfg.Name)}

	key := kmskey.NewKmsKey(construct, jsii.String("key"), &kmskey.KmsKeyConfig{
		Description:          jsii.String("Key for secret " + cfg.Name),
		EnableKeyRotation:    jsii.Bool(true),
		DeletionWindowInDays: jsii.Number(keyDeletionWindowDays),
		Policy:               jsii.String(keyPolicyJSON),
		Tags:                 tags,
		Lifecycle:            &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	secretConfig := &secretsmanagersecret.SecretsmanagerSecretConfig{
		Name:                 jsii.String(cfg.Name),
		KmsKeyId:             key.Arn(),
		RecoveryWindowInDays: jsii.Number(recoveryWindowDays),
		Tags:                 tags,
		Lifecycle:            &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	}
	if cfg.Description != "" {
		secretConfig.Description = jsii.String(cfg.Description)
	}
	secret := secretsmanagersecret.NewSecretsmanagerSecret(construct, jsii.String("secret"), secretConfig)

	secretsmanagersecretpolicy.NewSecretsmanagerSecretPolicy(construct, jsii.String("policy"), &secretsmanagersecretpolicy.SecretsmanagerSecretPolicyConfig{
		SecretArn:         secret.Arn(),
		Policy:            jsii.String(secretPolicy(cfg, *secret.Arn())),
		BlockPublicPolicy: jsii.Bool(true),
	})

	if cfg.rotates() {
		secretsmanagersecretrotation.NewSecretsmanagerSecretRotation(construct, jsii.String("rotation"), &secretsmanagersecretrotation.SecretsmanagerSecretRotationConfig{
			SecretId:          secret.Id(),
			RotationLambdaArn: jsii.String(cfg.RotationLambdaARN),
			RotateImmediately: jsii.Bool(false),
			RotationRules: &secretsmanagersecretrotation.SecretsmanagerSecretRotationRotationRules{
				AutomaticallyAfterDays: jsii.Number(float64(cfg.RotationDays)),
			},
		})
	}

	return &Secret{Construct: construct, Name: cfg.Name, ARN: secret.Arn(), KeyARN: key.Arn()}
}
