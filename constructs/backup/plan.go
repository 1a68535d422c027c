package backup

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/backupplan"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/backupselection"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// Defaults for PlanConfig.
const (
	DefaultSelectionTagKey   = "backup"
	DefaultSelectionTagValue = "true"
	DefaultPartition         = "aws"
)

// dailySchedule starts the daily backup window at 05:00 UTC.
const dailySchedule = "cron(0 5 * * ? *)"

// maxContinuousRetentionDays is the longest retention AWS Backup allows for
// continuous backups. Because the daily rule turns continuous backup on, the
// limit applies to the whole rule.
const maxContinuousRetentionDays = 35

// roleNameSuffix is appended to the plan name to name its IAM role.
const roleNameSuffix = "-backup"

// roleManagedPolicies are the AWS managed policies of the backup role, with
// the suffix of their attachment's construct ID and their path. The two S3
// policies are needed besides the general ones because AWS Backup backs up
// and restores S3 buckets only with them.
var roleManagedPolicies = []struct {
	id     string
	policy string
}{
	{"backup_policy", "service-role/AWSBackupServiceRolePolicyForBackup"},
	{"restores_policy", "service-role/AWSBackupServiceRolePolicyForRestores"},
	{"s3_backup_policy", "AWSBackupServiceRolePolicyForS3Backup"},
	{"s3_restore_policy", "AWSBackupServiceRolePolicyForS3Restore"},
}

// supportedPartitions are the partitions whose AWS Backup service principal
// is backup.amazonaws.com.
var supportedPartitions = []string{"aws", "aws-us-gov"}

var (
	// planNamePattern is the AWS Backup API's pattern for plan, rule and
	// selection names.
	planNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,50}$`)

	vaultARNPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:backup:[a-z0-9-]+:[0-9]{12}:backup-vault:[a-zA-Z0-9_-]{2,50}$`)
)

// PlanConfig configures a daily backup plan and the resources it selects.
type PlanConfig struct {
	// Name is the plan name, 1 to 50 letters, digits, hyphens, underscores
	// and dots. It also names the selection and, with the suffix "-backup",
	// the IAM role, so it must be unique in the account, not only in the
	// region. Required.
	Name string
	// VaultName is the name of the vault, in the plan's region, that
	// receives the backups, usually Vault.Name. Required.
	VaultName *string
	// CopyToVaultARN is the ARN of a vault, usually in the disaster recovery
	// region, that receives a copy of every backup. Default: nil, which makes
	// no copy, for data such as EU backups that must stay in its region.
	CopyToVaultARN *string
	// DailyRetentionDays is how long the daily backups are kept, 1 to 35
	// days. Continuous backups allow at most 35 days, and the rule turns
	// them on. A locked vault also requires a value inside its lock range.
	// Required.
	DailyRetentionDays int
	// CopyRetentionDays is how long the copies in CopyToVaultARN are kept,
	// in days. Used only with CopyToVaultARN. Default: DailyRetentionDays.
	CopyRetentionDays int
	// SelectionTagKey and SelectionTagValue select the resources to back up:
	// every resource of a supported type whose tag SelectionTagKey equals
	// SelectionTagValue. Default: "backup" and "true".
	SelectionTagKey   string
	SelectionTagValue string
	// AccountID is the 12-digit ID of the account that owns the plan. The
	// role's trust policy admits AWS Backup only on behalf of this account.
	// Required.
	AccountID string
	// Partition is the AWS partition, for the managed policy ARNs.
	// Default: "aws".
	Partition string

	// Provider is the AWS provider of the plan's region; nil uses the
	// stack's default. A plan must be in the region of its vault.
	Provider cdktf.TerraformProvider
}

// Plan is a daily backup plan, its IAM role and its tag selection.
type Plan struct {
	constructs.Construct
	// PlanID is the backup plan ID, a token.
	PlanID *string
	// PlanARN is the backup plan ARN, a token.
	PlanARN *string
	// RoleARN is the ARN of the role AWS Backup assumes for this plan's
	// backup, copy and restore jobs, a token.
	RoleARN *string
}

func (c PlanConfig) withDefaults() PlanConfig {
	if c.SelectionTagKey == "" {
		c.SelectionTagKey = DefaultSelectionTagKey
	}
	if c.SelectionTagValue == "" {
		c.SelectionTagValue = DefaultSelectionTagValue
	}
	if c.Partition == "" {
		c.Partition = DefaultPartition
	}
	if c.copies() && c.CopyRetentionDays == 0 {
		c.CopyRetentionDays = c.DailyRetentionDays
	}
	return c
}

// copies reports whether the plan copies its backups to another vault. A
// nil or empty CopyToVaultARN means no copy.
func (c PlanConfig) copies() bool {
	return !awsid.Missing(c.CopyToVaultARN)
}

// Validate returns every problem with the configuration, or nil.
func (c PlanConfig) Validate() error {
	var errs []error
	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`backup: PlanConfig.Name is missing; set a plan name such as "prod-usw2-daily"`))
	case !planNamePattern.MatchString(c.Name):
		errs = append(errs, fmt.Errorf("backup: PlanConfig.Name: %q is invalid; use 1 to 50 letters, digits, hyphens, underscores and dots", c.Name))
	}

	if awsid.Missing(c.VaultName) {
		errs = append(errs, errors.New("backup: PlanConfig.VaultName is missing; pass the name of the vault that receives the backups, such as Vault.Name"))
	} else if !isToken(c.VaultName) && !vaultNamePattern.MatchString(*c.VaultName) {
		errs = append(errs, fmt.Errorf("backup: PlanConfig.VaultName: %q is not a backup vault name; use 2 to 50 letters, digits, hyphens and underscores", *c.VaultName))
	}

	if c.copies() && !isToken(c.CopyToVaultARN) && !vaultARNPattern.MatchString(*c.CopyToVaultARN) {
		errs = append(errs, fmt.Errorf("backup: PlanConfig.CopyToVaultARN: %q is not a backup vault ARN; pass the vault's ARN, such as Vault.ARN", *c.CopyToVaultARN))
	}

	if c.DailyRetentionDays < 1 || c.DailyRetentionDays > maxContinuousRetentionDays {
		errs = append(errs, fmt.Errorf("backup: PlanConfig.DailyRetentionDays: %d is out of range; use 1 to %d days, the limit for continuous backups", c.DailyRetentionDays, maxContinuousRetentionDays))
	}
	if c.copies() && c.CopyRetentionDays < 1 {
		errs = append(errs, fmt.Errorf("backup: PlanConfig.CopyRetentionDays: %d is invalid; use at least 1 day, or 0 for DailyRetentionDays", c.CopyRetentionDays))
	}
	if !c.copies() && c.CopyRetentionDays != 0 {
		errs = append(errs, fmt.Errorf("backup: PlanConfig.CopyRetentionDays: %d is set but CopyToVaultARN is nil; set CopyToVaultARN or leave CopyRetentionDays at 0", c.CopyRetentionDays))
	}

	if strings.HasPrefix(strings.ToLower(c.SelectionTagKey), "aws:") {
		errs = append(errs, fmt.Errorf("backup: PlanConfig.SelectionTagKey: %q starts with the reserved prefix \"aws:\"; choose another tag key", c.SelectionTagKey))
	}

	if err := awsid.AccountID("backup: PlanConfig.AccountID", c.AccountID); err != nil {
		errs = append(errs, err)
	}
	if err := awsid.Partition("backup: PlanConfig.Partition", c.Partition, supportedPartitions...); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func isToken(value *string) bool {
	return *cdktf.Token_IsUnresolved(value)
}

// NewPlan creates the IAM role AWS Backup assumes, a backup plan with one
// daily rule, and a selection of every resource tagged
// SelectionTagKey=SelectionTagValue.
//
// The rule turns on continuous backup, which gives point-in-time recovery
// for the resource types that support it (Amazon S3, Amazon RDS, Amazon
// Aurora and SAP HANA on Amazon EC2). Other resource types, such as EBS
// volumes, EFS file systems and DynamoDB tables, get a daily snapshot. S3
// buckets need versioning turned on before AWS Backup can back them up.
//
// NewPlan panics if cfg is invalid.
func NewPlan(scope constructs.Construct, id string, cfg PlanConfig) *Plan {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	construct := constructs.NewConstruct(scope, jsii.String(id))

	role := newBackupRole(construct, cfg)

	rule := &backupplan.BackupPlanRule{
		RuleName:               jsii.String("daily"),
		TargetVaultName:        cfg.VaultName,
		Schedule:               jsii.String(dailySchedule),
		EnableContinuousBackup: jsii.Bool(true),
		Lifecycle: &backupplan.BackupPlanRuleLifecycle{
			DeleteAfter: jsii.Number(float64(cfg.DailyRetentionDays)),
		},
	}
	if cfg.copies() {
		rule.CopyAction = []*backupplan.BackupPlanRuleCopyAction{{
			DestinationVaultArn: cfg.CopyToVaultARN,
			Lifecycle: &backupplan.BackupPlanRuleCopyActionLifecycle{
				DeleteAfter: jsii.Number(float64(cfg.CopyRetentionDays)),
			},
		}}
	}
	plan := backupplan.NewBackupPlan(construct, jsii.String("plan"), &backupplan.BackupPlanConfig{
		Provider: cfg.Provider,
		Name:     jsii.String(cfg.Name),
		Rule:     []*backupplan.BackupPlanRule{rule},
		Tags:     &map[string]*string{"Name": jsii.String(cfg.Name)},
	})

	backupselection.NewBackupSelection(construct, jsii.String("selection"), &backupselection.BackupSelectionConfig{
		Provider:   cfg.Provider,
		Name:       jsii.String(cfg.Name),
		PlanId:     plan.Id(),
		IamRoleArn: role.Arn(),
		SelectionTag: []*backupselection.BackupSelectionSelectionTag{{
			Type:  jsii.String("STRINGEQUALS"),
			Key:   jsii.String(cfg.SelectionTagKey),
			Value: jsii.String(cfg.SelectionTagValue),
		}},
	})

	return &Plan{Construct: construct, PlanID: plan.Id(), PlanARN: plan.Arn(), RoleARN: role.Arn()}
}

// newBackupRole creates the role AWS Backup assumes for the plan's jobs and
// attaches the AWS managed policies for backup and restore.
func newBackupRole(scope constructs.Construct, cfg PlanConfig) iamrole.IamRole {
	// NOTE: the AWS Backup guide does not say whether the service sets
	// aws:SourceAccount when it assumes a role. If backup jobs fail to
	// assume this role, the condition is the first thing to check.
	trust := iampolicy.Document{Statements: []iampolicy.Statement{{
		Sid:        "AWSBackupAssumeRole",
		Principal:  map[string][]string{"Service": {"backup.amazonaws.com"}},
		Actions:    []string{"sts:AssumeRole"},
		Conditions: map[string]map[string][]string{"StringEquals": {"aws:SourceAccount": {cfg.AccountID}}},
	}}}
	name := cfg.Name + roleNameSuffix
	role := iamrole.NewIamRole(scope, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(name),
		Description:      jsii.String("Role AWS Backup assumes for backup plan " + cfg.Name),
		AssumeRolePolicy: jsii.String(trust.JSON()),
		Tags:             &map[string]*string{"Name": jsii.String(name)},
	})
	for _, m := range roleManagedPolicies {
		iamrolepolicyattachment.NewIamRolePolicyAttachment(scope, jsii.String("role_"+m.id), &iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
			Role:      role.Name(),
			PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", cfg.Partition, m.policy)),
		})
	}
	return role
}
