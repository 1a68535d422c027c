package monitoring

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/honeyhive/platform/constructs/addons"
	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultKubePrometheusStackVersion pins the kube-prometheus-stack chart of
// https://prometheus-community.github.io/helm-charts, from the chart's GitHub
// release kube-prometheus-stack-93.6.1.
const DefaultKubePrometheusStackVersion = "93.6.1"

// DefaultFluentBitVersion pins the fluent-bit chart of
// https://fluent.github.io/helm-charts. The chart's GitHub release
// fluent-bit-0.59.0 installs Fluent Bit v5.2.1. Fluent Bit gets its
// credentials from EKS Pod Identity, a provider that the Fluent Bit 5.2
// documentation lists and the 4.2 documentation does not, so keep a chart
// that installs 5.2 or later.
//
// NOTE: that release announces the chart's deprecation once Fluent Bit 5.3.0
// ships, in favour of the fluent-bit-collector chart.
const DefaultFluentBitVersion = "0.59.0"

// DefaultOpenTelemetryCollectorVersion pins the opentelemetry-collector chart
// of https://open-telemetry.github.io/opentelemetry-helm-charts. The chart
// repository's index lists 0.182.0 with appVersion 0.165.0.
const DefaultOpenTelemetryCollectorVersion = "0.182.0"

// DefaultOpenTelemetryCollectorImageTag pins the collector contrib image to
// the appVersion of DefaultOpenTelemetryCollectorVersion.
//
// NOTE: the contrib image tag was not looked up. It assumes that the
// collector releases publish every distribution under the chart's
// appVersion.
const DefaultOpenTelemetryCollectorImageTag = "0.165.0"

// Namespace is the Kubernetes namespace every monitoring component runs in.
const Namespace = "monitoring"

const (
	// minPrometheusStorageGiB is the smallest Prometheus volume accepted,
	// the same floor the environments' validation applies.
	minPrometheusStorageGiB = 10

	// maxPrometheusStorageGiB is the largest gp3 volume, as the EC2 API
	// reference lists gp3 sizes of 1 to 16,384 GiB.
	maxPrometheusStorageGiB = 16384

	// maxPrometheusRetentionDays bounds retention to ten years, far beyond
	// what a local TSDB should keep.
	maxPrometheusRetentionDays = 3650

	// longestRoleSuffix is the longest suffix that Name gets in an IAM role
	// name (see otelCollectorRoleSuffix).
	longestRoleSuffix = "-otel-collector"

	// maxRoleNameLength is IAM's limit on role names.
	maxRoleNameLength = 64
)

var (
	namePattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

	// exactVersionPattern matches one exact chart or image version. Ranges
	// and "latest" do not match.
	exactVersionPattern = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)

	// secretsPrefixPattern allows the characters of Secrets Manager names
	// except the wildcards "*" and "?".
	secretsPrefixPattern = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
)

// Config configures the monitoring stack of one cluster.
type Config struct {
	// Cluster is the cluster to install on (required). Its HelmProvider
	// installs the releases and its DependsOn orders them.
	Cluster addons.ClusterInfo

	// Name prefixes the IAM role names and names the container log group,
	// for example "prod-usw2" (required, lowercase letters, digits and
	// hyphens, at most 49 characters).
	Name string

	// SecretsPrefix is the Secrets Manager path that External Secrets may
	// read, ending in "/", for example "prod/usw2/" (required). The Grafana
	// admin secret is created under it.
	SecretsPrefix string

	// SecretsKMSKeyARN is the customer-managed key that encrypts the Grafana
	// admin secret (required, a token is fine).
	SecretsKMSKeyARN *string

	// LogsKMSKeyARN is the customer-managed key that encrypts the container
	// log group (required, a token is fine). Its key policy must allow the
	// CloudWatch Logs service principal of the region.
	LogsKMSKeyARN *string

	// LogRetentionDays is how long CloudWatch Logs keeps container logs, one
	// of the periods CloudWatch Logs accepts, such as 30 or 365 (required).
	LogRetentionDays int

	// TracesKMSKeyARN is the customer-managed key that X-Ray encrypts traces
	// with (required, a token is fine).
	TracesKMSKeyARN *string

	// PrometheusRetentionDays is how long Prometheus keeps samples (required,
	// 1 to 3650).
	PrometheusRetentionDays int

	// PrometheusStorageGiB is the size of each Prometheus volume (required,
	// 10 to 16384).
	PrometheusStorageGiB int

	// HighAvailability runs two Prometheus replicas, three Alertmanager
	// replicas and two Grafana replicas, each with a disruption budget, for
	// production.
	HighAvailability bool

	// KubePrometheusStackVersion is the exact chart version.
	// Default: DefaultKubePrometheusStackVersion.
	KubePrometheusStackVersion string

	// FluentBitVersion is the exact fluent-bit chart version.
	// Default: DefaultFluentBitVersion.
	FluentBitVersion string

	// OpenTelemetryCollectorVersion is the exact opentelemetry-collector
	// chart version.
	// Default: DefaultOpenTelemetryCollectorVersion.
	OpenTelemetryCollectorVersion string

	// OpenTelemetryCollectorImageTag is the exact tag of the collector contrib
	// image.
	// Default: DefaultOpenTelemetryCollectorImageTag.
	OpenTelemetryCollectorImageTag string
}

// withDefaults returns a copy of c with the defaults filled in.
func (c Config) withDefaults() Config {
	if c.Cluster.Partition == "" {
		c.Cluster.Partition = addons.DefaultPartition
	}
	if c.KubePrometheusStackVersion == "" {
		c.KubePrometheusStackVersion = DefaultKubePrometheusStackVersion
	}
	if c.FluentBitVersion == "" {
		c.FluentBitVersion = DefaultFluentBitVersion
	}
	if c.OpenTelemetryCollectorVersion == "" {
		c.OpenTelemetryCollectorVersion = DefaultOpenTelemetryCollectorVersion
	}
	if c.OpenTelemetryCollectorImageTag == "" {
		c.OpenTelemetryCollectorImageTag = DefaultOpenTelemetryCollectorImageTag
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c Config) Validate() error {
	errs := []error{c.Cluster.Validate("monitoring: Config.Cluster")}
	errs = append(errs, validateName(c.Name)...)
	errs = append(errs, validateSecretsPrefix(c.SecretsPrefix)...)

	keys := []struct {
		field string
		arn   *string
		use   string
	}{
		{"SecretsKMSKeyARN", c.SecretsKMSKeyARN, "encrypts the Grafana admin secret"},
		{"LogsKMSKeyARN", c.LogsKMSKeyARN, "encrypts the container log group"},
		{"TracesKMSKeyARN", c.TracesKMSKeyARN, "X-Ray encrypts traces with"},
	}
	for _, k := range keys {
		// The missing case is reported here because the message names what
		// the key is for. IAM authorizes KMS calls against the key, so an
		// alias ARN is rejected.
		if awsid.Missing(k.arn) {
			errs = append(errs, fmt.Errorf("monitoring: Config.%s is missing; pass the ARN of the KMS key that %s", k.field, k.use))
		} else if err := awsid.KMSKeyARN("monitoring: Config."+k.field, k.arn); err != nil {
			errs = append(errs, err)
		}
	}

	if err := awsid.LogRetentionDays("monitoring: Config.LogRetentionDays", c.LogRetentionDays); err != nil {
		errs = append(errs, err)
	}
	if c.PrometheusRetentionDays < 1 || c.PrometheusRetentionDays > maxPrometheusRetentionDays {
		errs = append(errs, fmt.Errorf("monitoring: Config.PrometheusRetentionDays: %d days is out of range; use 1 to %d", c.PrometheusRetentionDays, maxPrometheusRetentionDays))
	}
	if c.PrometheusStorageGiB < minPrometheusStorageGiB || c.PrometheusStorageGiB > maxPrometheusStorageGiB {
		errs = append(errs, fmt.Errorf("monitoring: Config.PrometheusStorageGiB: %d GiB is out of range; use %d to %d", c.PrometheusStorageGiB, minPrometheusStorageGiB, maxPrometheusStorageGiB))
	}

	versions := []struct{ field, value string }{
		{"KubePrometheusStackVersion", c.KubePrometheusStackVersion},
		{"FluentBitVersion", c.FluentBitVersion},
		{"OpenTelemetryCollectorVersion", c.OpenTelemetryCollectorVersion},
		{"OpenTelemetryCollectorImageTag", c.OpenTelemetryCollectorImageTag},
	}
	for _, v := range versions {
		if !exactVersionPattern.MatchString(v.value) {
			errs = append(errs, fmt.Errorf(`monitoring: Config.%s: %q is not an exact version; pin one such as "1.2.3"`, v.field, v.value))
		}
	}
	return errors.Join(errs...)
}

// validateName checks that name makes valid role and log group names.
func validateName(name string) []error {
	maxLength := maxRoleNameLength - len(longestRoleSuffix)
	switch {
	case name == "":
		return []error{errors.New(`monitoring: Config.Name is empty; set the environment and region prefix, for example "prod-usw2"`)}
	case !namePattern.MatchString(name):
		return []error{fmt.Errorf("monitoring: Config.Name: %q is invalid; use lowercase letters, digits and hyphens, starting and ending with a letter or digit", name)}
	case len(name) > maxLength:
		return []error{fmt.Errorf("monitoring: Config.Name: %q is longer than %d characters, so the IAM role %q would exceed %d; use a shorter name", name, maxLength, name+longestRoleSuffix, maxRoleNameLength)}
	}
	return nil
}

// validateSecretsPrefix checks the Secrets Manager path the Grafana admin
// secret is created under.
func validateSecretsPrefix(prefix string) []error {
	switch {
	case prefix == "":
		return []error{errors.New(`monitoring: Config.SecretsPrefix is empty; set the Secrets Manager path External Secrets may read, for example "prod/usw2/"`)}
	case !secretsPrefixPattern.MatchString(prefix):
		return []error{fmt.Errorf("monitoring: Config.SecretsPrefix: %q contains characters Secrets Manager names do not allow, or a wildcard; use letters, digits and /_+=.@- only", prefix)}
	case !strings.HasSuffix(prefix, "/"):
		return []error{fmt.Errorf("monitoring: Config.SecretsPrefix: %q does not end with \"/\"; use %q", prefix, prefix+"/")}
	}
	return nil
}

// arn returns an ARN in the cluster's partition.
func (c Config) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", c.Cluster.Partition, service, c.Cluster.Region, c.Cluster.AccountID, resource)
}
