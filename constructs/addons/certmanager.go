package addons

import (
	"errors"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// DefaultCertManagerChartVersion pins the cert-manager chart of
// https://charts.jetstack.io, whose chart versions start with "v". v1.20.4 is
// the newest v1.20 patch release that public install scripts pin.
const DefaultCertManagerChartVersion = "v1.20.4"

const (
	certManagerRepository     = "https://charts.jetstack.io"
	certManagerChart          = "cert-manager"
	certManagerNamespace      = "cert-manager"
	certManagerServiceAccount = "cert-manager"
	certManagerRoleSuffix     = "cert-manager"
)

// CertManagerConfig configures cert-manager.
type CertManagerConfig struct {
	// Cluster is the cluster to install on.
	Cluster ClusterInfo

	// ZoneIDs are the Route 53 hosted zones in which cert-manager may create
	// DNS-01 challenge records (required, tokens are fine).
	ZoneIDs []*string

	// ChartVersion is the exact chart version.
	// Default: DefaultCertManagerChartVersion.
	ChartVersion string
}

// certManagerValues are the chart values of cert-manager. The webhook,
// CA injector and startup check run as separate pods, and each takes its own
// tolerations.
type certManagerValues struct {
	CRDs                certManagerCRDs        `json:"crds"`
	ReplicaCount        int                    `json:"replicaCount"`
	PodDisruptionBudget DisruptionBudgetValues `json:"podDisruptionBudget"`
	ServiceAccount      ServiceAccountValues   `json:"serviceAccount"`
	ExtraEnv            []EnvVar               `json:"extraEnv"`
	Tolerations         []Toleration           `json:"tolerations"`
	Webhook             certManagerComponent   `json:"webhook"`
	CAInjector          certManagerComponent   `json:"cainjector"`
	StartupAPICheck     certManagerStartup     `json:"startupapicheck"`
}

// certManagerCRDs makes the chart install the CRDs as templates. Helm
// upgrades templates but never touches CRDs in a chart's crds/ folder, so
// this way the CRDs move with the chart. Keep stops helm uninstall from
// deleting the CRDs, and with them every Certificate in the cluster.
type certManagerCRDs struct {
	Enabled bool `json:"enabled"`
	Keep    bool `json:"keep"`
}

// certManagerComponent is the webhook's or the CA injector's block.
type certManagerComponent struct {
	ReplicaCount        int                    `json:"replicaCount"`
	PodDisruptionBudget DisruptionBudgetValues `json:"podDisruptionBudget"`
	Tolerations         []Toleration           `json:"tolerations"`
}

// certManagerStartup is the block of the post-install job that waits until
// the webhook accepts requests.
type certManagerStartup struct {
	Tolerations []Toleration `json:"tolerations"`
}

// NewCertManager installs cert-manager in the cert-manager namespace and
// lets it solve ACME DNS-01 challenges in the given Route 53 zones. It panics
// if cfg is invalid.
//
// cert-manager uses the Pod Identity credentials ("ambient credentials")
// only for ClusterIssuers by default. An Issuer in an application namespace
// must carry its own credentials. That keeps application teams from
// borrowing the controller's Route 53 access.
//
// The controller, webhook and CA injector run two replicas each with a
// disruption budget. The webhook validates every cert-manager resource, so
// while it is down no certificate can change. The controller and CA
// injector elect a leader, so the second replica is a standby.
func NewCertManager(scope constructs.Construct, id string, cfg CertManagerConfig) *Addon {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	budget := DisruptionBudgetValues{Enabled: true, MinAvailable: 1}
	component := certManagerComponent{ReplicaCount: 2, PodDisruptionBudget: budget, Tolerations: systemNodeTolerations()}
	policy := certManagerPolicy(cfg.Cluster, cfg.ZoneIDs)
	return newAddon(scope, id, addonSpec{
		cluster:        cfg.Cluster,
		releaseName:    "cert-manager",
		namespace:      certManagerNamespace,
		serviceAccount: certManagerServiceAccount,
		repository:     certManagerRepository,
		chart:          certManagerChart,
		version:        cfg.ChartVersion,
		values: certManagerValues{
			CRDs:                certManagerCRDs{Enabled: true, Keep: true},
			ReplicaCount:        2,
			PodDisruptionBudget: budget,
			ServiceAccount:      ServiceAccountValues{Create: true, Name: certManagerServiceAccount},
			// Route 53 is a global service, but the AWS SDK still needs a
			// region, and Pod Identity does not set one.
			ExtraEnv:        []EnvVar{{Name: "AWS_REGION", Value: cfg.Cluster.Region}},
			Tolerations:     systemNodeTolerations(),
			Webhook:         component,
			CAInjector:      component,
			StartupAPICheck: certManagerStartup{Tolerations: systemNodeTolerations()},
		},
		roleSuffix: certManagerRoleSuffix,
		policy:     &policy,
	})
}

// certManagerPolicy is the Route 53 policy of the cert-manager DNS-01
// solver, with record changes limited to zoneIDs. route53:GetChange is
// scoped to change IDs, which are not known in advance.
// route53:ListHostedZonesByName supports no resource-level permissions.
func certManagerPolicy(c ClusterInfo, zoneIDs []*string) iampolicy.Document {
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid:       "GetChangeStatus",
			Actions:   []string{"route53:GetChange"},
			Resources: []string{c.arn("route53", "", "", "change/*")},
		},
		{
			Sid:       "ChangeChallengeRecords",
			Actions:   []string{"route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"},
			Resources: c.hostedZoneARNs(zoneIDs),
		},
		{
			Sid:       "FindHostedZones",
			Actions:   []string{"route53:ListHostedZonesByName"},
			Resources: []string{"*"},
		},
	}}
}

// withDefaults returns a copy of c with defaults filled in.
func (c CertManagerConfig) withDefaults() CertManagerConfig {
	c.Cluster = c.Cluster.withDefaults()
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultCertManagerChartVersion
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c CertManagerConfig) Validate() error {
	errs := c.Cluster.validate("CertManagerConfig.Cluster", certManagerRoleSuffix)
	errs = append(errs, validateZoneIDs("CertManagerConfig.ZoneIDs", c.ZoneIDs)...)
	if err := validateChartVersion("CertManagerConfig.ChartVersion", c.ChartVersion); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
