package addons

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/awsid"
	"github.com/honeyhive/platform/constructs/helmrelease"
	"github.com/honeyhive/platform/constructs/iampolicy"
)

// DefaultExternalSecretsChartVersion pins the external-secrets chart of
// https://charts.external-secrets.io. The version and its package digest
// come from the project's GitHub release helm-chart-2.10.0.
const DefaultExternalSecretsChartVersion = "2.10.0"

const (
	externalSecretsRepository     = "https://charts.external-secrets.io"
	externalSecretsChart          = "external-secrets"
	externalSecretsNamespace      = "external-secrets"
	externalSecretsServiceAccount = "external-secrets"
	externalSecretsRoleSuffix     = "external-secrets"
)

var (
	// secretsPrefixPattern allows the characters of Secrets Manager secret
	// names except the wildcards "*" and "?", which would widen the policy.
	secretsPrefixPattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
)

// ExternalSecretsConfig configures the External Secrets Operator.
type ExternalSecretsConfig struct {
	// Cluster is the cluster to install on.
	Cluster ClusterInfo

	// SecretsPrefix is the only Secrets Manager path the operator may read,
	// ending in "/", for example "prod/usw2/" (required).
	SecretsPrefix string

	// SecretsKMSKeyARN is the customer-managed key that encrypts the
	// secrets under SecretsPrefix (required, a token is fine).
	SecretsKMSKeyARN *string

	// ChartVersion is the exact chart version.
	// Default: DefaultExternalSecretsChartVersion.
	ChartVersion string

	// Shared, when set, also lets the operator read the platform's shared
	// secrets, kept once for all environments in another account, and
	// creates the ClusterSecretStore SharedSecretStoreName for them.
	Shared *SharedSecrets
}

// SharedSecrets locates the platform's shared secrets.
type SharedSecrets struct {
	AccountID string
	Region    string

	// Prefix starts every shared secret's name, ending in "/", for example
	// "platform/".
	Prefix string

	// Namespaces may use the store; tenants are left out, because the
	// shared secrets belong to the platform.
	Namespaces []string
}

// ExternalSecretsRoleName returns the name of the operator's IAM role in
// the cluster's account, for policies elsewhere that admit it.
func ExternalSecretsRoleName(cluster string) string {
	return roleName(cluster, externalSecretsRoleSuffix)
}

// SharedSecretStoreName is the ClusterSecretStore of the shared secrets.
const SharedSecretStoreName = "platform-shared"

// externalSecretsValues are the chart values of the External Secrets
// Operator. The controller, webhook and certificate controller run as
// separate pods, and each takes its own tolerations.
type externalSecretsValues struct {
	InstallCRDs         bool                       `json:"installCRDs"`
	ReplicaCount        int                        `json:"replicaCount"`
	LeaderElect         bool                       `json:"leaderElect"`
	ServiceAccount      ServiceAccountValues       `json:"serviceAccount"`
	Tolerations         []Toleration               `json:"tolerations"`
	PodDisruptionBudget DisruptionBudgetValues     `json:"podDisruptionBudget"`
	Webhook             externalSecretsComponent   `json:"webhook"`
	CertController      externalSecretsCertControl `json:"certController"`
}

// externalSecretsComponent is the webhook's block.
type externalSecretsComponent struct {
	ReplicaCount        int                    `json:"replicaCount"`
	Tolerations         []Toleration           `json:"tolerations"`
	PodDisruptionBudget DisruptionBudgetValues `json:"podDisruptionBudget"`
}

// externalSecretsCertControl is the block of the controller that renews
// the webhook's certificate. It runs one replica and gets no disruption
// budget, because a budget of one available pod out of one would block
// node drains.
type externalSecretsCertControl struct {
	Tolerations []Toleration `json:"tolerations"`
}

// NewExternalSecrets installs the External Secrets Operator, which copies
// AWS Secrets Manager secrets into Kubernetes Secrets. It panics if cfg is
// invalid.
//
// The role reads only secrets whose names start with SecretsPrefix and
// decrypts only through Secrets Manager. It has no secretsmanager:ListSecrets,
// which supports no resource-level permissions, so ExternalSecrets must name
// their secrets: dataFrom.find, which searches by name pattern or tag, fails
// with an access error.
//
// The controller runs two replicas with leader election, and the webhook
// two replicas, because the webhook rejects every change to ExternalSecrets
// and SecretStores while it is down.
func NewExternalSecrets(scope constructs.Construct, id string, cfg ExternalSecretsConfig) *Addon {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	budget := DisruptionBudgetValues{Enabled: true, MinAvailable: 1}
	policy := externalSecretsPolicy(cfg.Cluster, cfg.SecretsPrefix, *cfg.SecretsKMSKeyARN)
	if cfg.Shared != nil {
		policy.Statements = append(policy.Statements, sharedSecretsStatements(cfg.Cluster, *cfg.Shared)...)
	}
	addon := newAddon(scope, id, addonSpec{
		cluster:        cfg.Cluster,
		releaseName:    "external-secrets",
		namespace:      externalSecretsNamespace,
		serviceAccount: externalSecretsServiceAccount,
		repository:     externalSecretsRepository,
		chart:          externalSecretsChart,
		version:        cfg.ChartVersion,
		values: externalSecretsValues{
			InstallCRDs:         true,
			ReplicaCount:        2,
			LeaderElect:         true,
			ServiceAccount:      ServiceAccountValues{Create: true, Name: externalSecretsServiceAccount},
			Tolerations:         systemNodeTolerations(),
			PodDisruptionBudget: budget,
			Webhook:             externalSecretsComponent{ReplicaCount: 2, Tolerations: systemNodeTolerations(), PodDisruptionBudget: budget},
			CertController:      externalSecretsCertControl{Tolerations: systemNodeTolerations()},
		},
		roleSuffix: externalSecretsRoleSuffix,
		policy:     &policy,
	})

	if cfg.Shared != nil {
		newSharedSecretStore(addon, cfg)
	}
	return addon
}

// sharedSecretsStatements allow reading the shared secrets in their account
// and decrypting them there through Secrets Manager. Each shared secret has
// its own key, which this stack cannot reference, so the keys are named by
// account and region only. The encryption context still limits them to the
// shared secrets.
func sharedSecretsStatements(c ClusterInfo, shared SharedSecrets) []iampolicy.Statement {
	secrets := c.arn("secretsmanager", shared.Region, shared.AccountID, "secret:"+shared.Prefix+"*")
	return []iampolicy.Statement{
		{
			Sid:       "ReadSharedSecrets",
			Actions:   []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
			Resources: []string{secrets},
		},
		{
			Sid:       "DecryptSharedSecrets",
			Actions:   []string{"kms:Decrypt"},
			Resources: []string{c.arn("kms", shared.Region, shared.AccountID, "key/*")},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"kms:ViaService": {"secretsmanager." + shared.Region + ".amazonaws.com"}},
				"StringLike":   {"kms:EncryptionContext:SecretARN": {secrets}},
			},
		},
	}
}

// newSharedSecretStore creates the ClusterSecretStore of the shared
// secrets, usable only from the listed namespaces.
func newSharedSecretStore(addon *Addon, cfg ExternalSecretsConfig) {
	store := map[string]any{
		"apiVersion": "external-secrets.io/v1",
		"kind":       "ClusterSecretStore",
		"metadata":   map[string]any{"name": SharedSecretStoreName},
		"spec": map[string]any{
			"provider": map[string]any{
				"aws": map[string]any{"service": "SecretsManager", "region": cfg.Shared.Region},
			},
			"conditions": []any{map[string]any{"namespaces": cfg.Shared.Namespaces}},
		},
	}
	helmrelease.NewManifests(addon.Construct, "shared_store", helmrelease.ManifestsConfig{
		Name:      "platform-shared-secret-store",
		Namespace: externalSecretsNamespace,
		Manifests: []any{store},
		Provider:  cfg.Cluster.HelmProvider,
		DependsOn: []cdktf.ITerraformDependable{addon.Release},
	})
}

// externalSecretsPolicy allows reading the secrets under prefix and
// decrypting them with keyARN. The Decrypt statement requires both that the
// call comes through Secrets Manager and that the encryption context, which
// Secrets Manager sets to the secret's ARN, names a secret under prefix.
func externalSecretsPolicy(c ClusterInfo, prefix, keyARN string) iampolicy.Document {
	secrets := c.arn("secretsmanager", c.Region, c.AccountID, "secret:"+prefix+"*")
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       "ReadSecretsUnderPrefix",
			Actions:   []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"},
			Resources: []string{secrets},
		},
		{
			Sid:       "DecryptSecretsUnderPrefix",
			Actions:   []string{"kms:Decrypt"},
			Resources: []string{keyARN},
			Conditions: map[string]map[string][]string{
				"StringEquals": {"kms:ViaService": {"secretsmanager." + c.Region + ".amazonaws.com"}},
				"StringLike":   {"kms:EncryptionContext:SecretARN": {secrets}},
			},
		},
	}}
}

// withDefaults returns a copy of c with defaults filled in.
func (c ExternalSecretsConfig) withDefaults() ExternalSecretsConfig {
	c.Cluster = c.Cluster.withDefaults()
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultExternalSecretsChartVersion
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c ExternalSecretsConfig) Validate() error {
	errs := c.Cluster.validate("ExternalSecretsConfig.Cluster", externalSecretsRoleSuffix)
	if sh := c.Shared; sh != nil {
		errs = append(errs,
			awsid.AccountID("addons: ExternalSecretsConfig.Shared.AccountID", sh.AccountID),
			awsid.Region("addons: ExternalSecretsConfig.Shared.Region", sh.Region),
		)
		if !secretsPrefixPattern.MatchString(sh.Prefix) || !strings.HasSuffix(sh.Prefix, "/") {
			errs = append(errs, fmt.Errorf("addons: ExternalSecretsConfig.Shared.Prefix: %q is not a secret path ending in \"/\"; use for example \"platform/\"", sh.Prefix))
		}
		if len(sh.Namespaces) == 0 {
			errs = append(errs, errors.New("addons: ExternalSecretsConfig.Shared.Namespaces is empty; list the platform namespaces that may read shared secrets"))
		}
	}

	switch p := c.SecretsPrefix; {
	case p == "":
		errs = append(errs, errors.New(`addons: ExternalSecretsConfig.SecretsPrefix is empty; set the Secrets Manager path the operator may read, for example "prod/usw2/"`))
	case !secretsPrefixPattern.MatchString(p):
		errs = append(errs, fmt.Errorf("addons: ExternalSecretsConfig.SecretsPrefix: %q contains characters Secrets Manager names do not allow, or a wildcard; use letters, digits and /_+=.@- only", p))
	case !strings.HasSuffix(p, "/"):
		errs = append(errs, fmt.Errorf("addons: ExternalSecretsConfig.SecretsPrefix: %q does not end with \"/\", so it would also match secrets such as %q; use %q", p, p+"-other/secret", p+"/"))
	}

	// kms:Decrypt is authorized against the key, never against an alias, so
	// an alias ARN is rejected.
	if awsid.Missing(c.SecretsKMSKeyARN) {
		errs = append(errs, errors.New("addons: ExternalSecretsConfig.SecretsKMSKeyARN is missing; pass the ARN of the KMS key that encrypts the secrets"))
	} else if err := awsid.KMSKeyARN("addons: ExternalSecretsConfig.SecretsKMSKeyARN", c.SecretsKMSKeyARN); err != nil {
		errs = append(errs, err)
	}

	if err := validateChartVersion("ExternalSecretsConfig.ChartVersion", c.ChartVersion); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
