package addons

import (
	"errors"

	"github.com/aws/constructs-go/constructs/v10"
)

// DefaultMetricsServerChartVersion pins the metrics-server chart of
// https://kubernetes-sigs.github.io/metrics-server/. Chart 3.14.0 installs
// metrics-server v0.9.0, as recorded next to the version in public install
// scripts.
const DefaultMetricsServerChartVersion = "3.14.0"

const (
	metricsServerRepository     = "https://kubernetes-sigs.github.io/metrics-server/"
	metricsServerChart          = "metrics-server"
	metricsServerNamespace      = "kube-system"
	metricsServerServiceAccount = "metrics-server"
)

// MetricsServerConfig configures metrics-server.
type MetricsServerConfig struct {
	// Cluster is the cluster to install on.
	Cluster ClusterInfo

	// ChartVersion is the exact chart version.
	// Default: DefaultMetricsServerChartVersion.
	ChartVersion string
}

// metricsServerValues are the chart values of metrics-server.
type metricsServerValues struct {
	Replicas            int                    `json:"replicas"`
	PodDisruptionBudget DisruptionBudgetValues `json:"podDisruptionBudget"`
	ServiceAccount      ServiceAccountValues   `json:"serviceAccount"`
	Tolerations         []Toleration           `json:"tolerations"`
}

// NewMetricsServer installs metrics-server in kube-system, which serves the
// resource metrics API that horizontal pod autoscalers and `kubectl top`
// read. It calls no AWS API, so it has no IAM role. It panics if cfg is
// invalid.
//
// Two replicas and a disruption budget keep the metrics API available while
// a node drains, because every HorizontalPodAutoscaler stops scaling without
// it.
func NewMetricsServer(scope constructs.Construct, id string, cfg MetricsServerConfig) *Addon {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	return newAddon(scope, id, addonSpec{
		cluster:        cfg.Cluster,
		releaseName:    "metrics-server",
		namespace:      metricsServerNamespace,
		serviceAccount: metricsServerServiceAccount,
		repository:     metricsServerRepository,
		chart:          metricsServerChart,
		version:        cfg.ChartVersion,
		values: metricsServerValues{
			Replicas:            2,
			PodDisruptionBudget: DisruptionBudgetValues{Enabled: true, MinAvailable: 1},
			ServiceAccount:      ServiceAccountValues{Create: true, Name: metricsServerServiceAccount},
			Tolerations:         systemNodeTolerations(),
		},
	})
}

// withDefaults returns a copy of c with defaults filled in.
func (c MetricsServerConfig) withDefaults() MetricsServerConfig {
	c.Cluster = c.Cluster.withDefaults()
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultMetricsServerChartVersion
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c MetricsServerConfig) Validate() error {
	errs := c.Cluster.validate("MetricsServerConfig.Cluster", "")
	if err := validateChartVersion("MetricsServerConfig.ChartVersion", c.ChartVersion); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
