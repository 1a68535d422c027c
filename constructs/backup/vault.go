package backup

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/backupvault"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/backupvaultlockconfiguration"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
)

// Defaults for VaultConfig when Lock is true.
const (
	DefaultLockMinRetentionDays = 7
	DefaultLockMaxRetentionDays = 3650
)

// vaultNamePattern is the AWS Backup API's pattern for vault names.
var vaultNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{2,50}$`)

// VaultConfig configures one backup vault.
type VaultConfig struct {
	// Name is the vault name, 2 to 50 letters, digits, hyphens and
	// underscores, unique in the account and region. Required.
	Name string
	// KMSKeyARN is the ARN of the customer-managed key that encrypts the
	// recovery points, in the vault's region. Required.
	KMSKeyARN *string
	// Provider is the AWS provider for a vault outside the stack's default
	// region, such as the disaster recovery region. Default: nil, which uses
	// the stack's default AWS provider.
	Provider cdktf.TerraformProvider

	// Lock turns on Vault Lock in governance mode, which rejects backup and
	// copy jobs whose retention is outside the lock's range and stops
	// recovery points from being deleted before they expire. Default: false.
	Lock bool
	// LockMinRetentionDays is the shortest retention, in days, that a
	// recovery point in a locked vault may have. Every plan writing to the
	// vault must keep its recovery points at least this long, or its jobs
	// fail. Used only when Lock is true. Default: 7.
	LockMinRetentionDays int
	// LockMaxRetentionDays is the longest retention, in days, that a recovery
	// point in a locked vault may have. Used only when Lock is true.
	// Default: 3650.
	LockMaxRetentionDays int
}

// Vault is a backup vault encrypted with a customer-managed key.
type Vault struct {
	constructs.Construct
	// Name is the vault name, known at synth time.
	Name string
	// ARN is the vault ARN, a token. A plan in another region copies to the
	// vault by this ARN.
	ARN *string

	// NameToken is Name as a token of the vault resource; plans that target
	// the vault by it are created after the vault.
	NameToken *string
}

func (c VaultConfig) withDefaults() VaultConfig {
	if c.Lock {
		if c.LockMinRetentionDays == 0 {
			c.LockMinRetentionDays = DefaultLockMinRetentionDays
		}
		if c.LockMaxRetentionDays == 0 {
			c.LockMaxRetentionDays = DefaultLockMaxRetentionDays
		}
	}
	return c
}

// Validate returns every problem with the configuration, or nil.
func (c VaultConfig) Validate() error {
	var errs []error
	if c.Name == "" {
		errs = append(errs, errors.New(`backup: VaultConfig.Name is missing; set a vault name such as "prod-usw2"`))
	} else if !vaultNamePattern.MatchString(c.Name) {
		errs = append(errs, fmt.Errorf("backup: VaultConfig.Name: %q is invalid; use 2 to 50 letters, digits, hyphens and underscores", c.Name))
	}
	if err := awsid.KMSKeyARN("backup: VaultConfig.KMSKeyARN", c.KMSKeyARN); err != nil {
		errs = append(errs, err)
	}
	if c.Lock {
		if c.LockMinRetentionDays < 1 {
			errs = append(errs, fmt.Errorf("backup: VaultConfig.LockMinRetentionDays: %d is invalid; use at least 1 day", c.LockMinRetentionDays))
		}
		if c.LockMaxRetentionDays < c.LockMinRetentionDays {
			errs = append(errs, fmt.Errorf("backup: VaultConfig.LockMaxRetentionDays: %d is less than LockMinRetentionDays %d; raise it to at least %d", c.LockMaxRetentionDays, c.LockMinRetentionDays, c.LockMinRetentionDays))
		}
	} else if c.LockMinRetentionDays != 0 || c.LockMaxRetentionDays != 0 {
		errs = append(errs, errors.New("backup: VaultConfig.LockMinRetentionDays and LockMaxRetentionDays are set but Lock is false; set Lock to true or leave both at 0"))
	}
	return errors.Join(errs...)
}

// NewVault creates a backup vault encrypted with cfg.KMSKeyARN and, when
// cfg.Lock is set, a Vault Lock in governance mode.
//
// force_destroy stays false so that AWS rejects deleting a vault that still
// contains recovery points, and prevent_destroy stops Terraform from planning
// the deletion at all. The lock leaves changeable_for_days unset, which keeps
// it in governance mode: principals allowed
// backup:DeleteBackupVaultLockConfiguration can still change or remove it.
// Compliance mode would make the lock immutable after its grace period, so a
// wrong retention range could never be corrected and locked recovery points
// could not be deleted even by the account root.
//
// NewVault panics if cfg is invalid.
func NewVault(scope constructs.Construct, id string, cfg VaultConfig) *Vault {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}
	construct := constructs.NewConstruct(scope, jsii.String(id))

	vault := backupvault.NewBackupVault(construct, jsii.String("vault"), &backupvault.BackupVaultConfig{
		Name:         jsii.String(cfg.Name),
		KmsKeyArn:    cfg.KMSKeyARN,
		ForceDestroy: jsii.Bool(false),
		Tags:         &map[string]*string{"Name": jsii.String(cfg.Name)},
		Provider:     cfg.Provider,
		Lifecycle:    &cdktf.TerraformResourceLifecycle{PreventDestroy: jsii.Bool(true)},
	})

	if cfg.Lock {
		backupvaultlockconfiguration.NewBackupVaultLockConfiguration(construct, jsii.String("lock"), &backupvaultlockconfiguration.BackupVaultLockConfigurationConfig{
			BackupVaultName:  vault.Name(),
			MinRetentionDays: jsii.Number(float64(cfg.LockMinRetentionDays)),
			MaxRetentionDays: jsii.Number(float64(cfg.LockMaxRetentionDays)),
			Provider:         cfg.Provider,
		})
	}

	return &Vault{Construct: construct, Name: cfg.Name, ARN: vault.Arn(), NameToken: vault.Name()}
}
