package addons

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/constructs-go/constructs/v10"

	"github.com/honeyhive/platform/constructs/iampolicy"
)

// DefaultExternalDNSChartVersion pins the external-dns chart of
// https://kubernetes-sigs.github.io/external-dns/. Chart 1.21.1 installs
// ExternalDNS v0.21.0. The version and its package digest come from the
// chart's GitHub release external-dns-helm-chart-1.21.1.
const DefaultExternalDNSChartVersion = "1.21.1"

const (
	externalDNSRepository     = "https://kubernetes-sigs.github.io/external-dns/"
	externalDNSChart          = "external-dns"
	externalDNSNamespace      = "external-dns"
	externalDNSServiceAccount = "external-dns"
	externalDNSRoleSuffix     = "external-dns"
)

// domainNamePattern matches a lowercase domain name without a trailing dot.
var domainNamePattern = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// ExternalDNSConfig configures ExternalDNS.
type ExternalDNSConfig struct {
	// Cluster is the cluster to install on.
	Cluster ClusterInfo

	// ZoneIDs are the Route 53 hosted zones ExternalDNS may change
	// (required, tokens are fine). ExternalDNS ignores every other zone.
	ZoneIDs []*string

	// DomainFilters limits the records ExternalDNS manages to these domains
	// and their subdomains, for example "usw2.prod.honeyhive.ai" (required).
	DomainFilters []string

	// ChartVersion is the exact chart version.
	// Default: DefaultExternalDNSChartVersion.
	ChartVersion string
}

// externalDNSValues are the chart values of ExternalDNS.
type externalDNSValues struct {
	Provider       externalDNSProvider  `json:"provider"`
	Policy         string               `json:"policy"`
	Registry       string               `json:"registry"`
	TXTOwnerID     string               `json:"txtOwnerId"`
	DomainFilters  []string             `json:"domainFilters"`
	Sources        []string             `json:"sources"`
	ExtraArgs      []string             `json:"extraArgs"`
	Env            []EnvVar             `json:"env"`
	ServiceAccount ServiceAccountValues `json:"serviceAccount"`
	Tolerations    []Toleration         `json:"tolerations"`
}

// externalDNSProvider selects the DNS provider.
type externalDNSProvider struct {
	Name string `json:"name"`
}

// NewExternalDNS installs ExternalDNS, which publishes DNS records in Route 53
// for Services and Ingresses. It panics if cfg is invalid.
//
// The upsert-only policy creates and updates records but never deletes them,
// so a deleted or mistyped Ingress cannot remove a record that something
// else still serves. Records a workload no longer needs are removed by hand.
// The TXT registry with the cluster name as owner ID marks the records this
// cluster owns, and ExternalDNS changes only those. The zone ID filter keeps
// it to the configured zones even though it lists every zone in the account.
func NewExternalDNS(scope constructs.Construct, id string, cfg ExternalDNSConfig) *Addon {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	extraArgs := make([]string, len(cfg.ZoneIDs))
	for i, zoneID := range cfg.ZoneIDs {
		extraArgs[i] = "--zone-id-filter=" + *zoneID
	}

	policy := externalDNSPolicy(cfg.Cluster, cfg.ZoneIDs)
	return newAddon(scope, id, addonSpec{
		cluster:        cfg.Cluster,
		releaseName:    "external-dns",
		namespace:      externalDNSNamespace,
		serviceAccount: externalDNSServiceAccount,
		repository:     externalDNSRepository,
		chart:          externalDNSChart,
		version:        cfg.ChartVersion,
		values: externalDNSValues{
			Provider:      externalDNSProvider{Name: "aws"},
			Policy:        "upsert-only",
			Registry:      "txt",
			TXTOwnerID:    cfg.Cluster.Name,
			DomainFilters: cfg.DomainFilters,
			Sources:       []string{"service", "ingress"},
			ExtraArgs:     extraArgs,
			// Route 53 is a global service, but the AWS SDK still needs a
			// region, and Pod Identity does not set one.
			Env:            []EnvVar{{Name: "AWS_REGION", Value: cfg.Cluster.Region}},
			ServiceAccount: ServiceAccountValues{Create: true, Name: externalDNSServiceAccount},
			Tolerations:    systemNodeTolerations(),
		},
		roleSuffix: externalDNSRoleSuffix,
		policy:     &policy,
	})
}

// externalDNSPolicy allows record changes and reads in zoneIDs only.
// route53:ListHostedZones supports no resource-level permissions, so it is
// granted on "*", and the chart's zone ID filter ignores the other zones.
// The tag reads are scoped to the zones because ExternalDNS reads zone tags
// only for zones that passed the ID filter.
func externalDNSPolicy(c ClusterInfo, zoneIDs []*string) iampolicy.Document {
	zones := c.hostedZoneARNs(zoneIDs)
	return iampolicy.Document{Statements: []iampolicy.Statement{
		{
			Sid: "ChangeRecordsInZones",
			Actions: []string{
				"route53:ChangeResourceRecordSets",
				"route53:ListResourceRecordSets",
				"route53:ListTagsForResource",
				"route53:ListTagsForResources",
			},
			Resources: zones,
		},
		{
			Sid:       "ListHostedZones",
			Actions:   []string{"route53:ListHostedZones"},
			Resources: []string{"*"},
		},
	}}
}

// withDefaults returns a copy of c with defaults filled in.
func (c ExternalDNSConfig) withDefaults() ExternalDNSConfig {
	c.Cluster = c.Cluster.withDefaults()
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultExternalDNSChartVersion
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c ExternalDNSConfig) Validate() error {
	errs := c.Cluster.validate("ExternalDNSConfig.Cluster", externalDNSRoleSuffix)
	errs = append(errs, validateZoneIDs("ExternalDNSConfig.ZoneIDs", c.ZoneIDs)...)
	errs = append(errs, validateDomainFilters("ExternalDNSConfig.DomainFilters", c.DomainFilters)...)
	if err := validateChartVersion("ExternalDNSConfig.ChartVersion", c.ChartVersion); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validateDomainFilters rejects an empty list and entries that are not
// lowercase domain names without a trailing dot.
func validateDomainFilters(field string, domains []string) []error {
	if len(domains) == 0 {
		return []error{fmt.Errorf(`addons: %s is empty; list the domains ExternalDNS may manage, for example "usw2.prod.honeyhive.ai"`, field)}
	}
	var errs []error
	for i, domain := range domains {
		switch {
		case strings.HasSuffix(domain, "."):
			errs = append(errs, fmt.Errorf("addons: %s[%d]: %q ends with a dot; use %q", field, i, domain, strings.TrimSuffix(domain, ".")))
		case !domainNamePattern.MatchString(domain):
			errs = append(errs, fmt.Errorf(`addons: %s[%d]: %q is not a lowercase domain name; use one such as "usw2.prod.honeyhive.ai"`, field, i, domain))
		}
	}
	return errs
}
