package monitoring

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

const (
	prometheusStackRepository  = "https://prometheus-community.github.io/helm-charts"
	prometheusStackChart       = "kube-prometheus-stack"
	prometheusStackReleaseName = "kube-prometheus-stack"

	// prometheusStackTimeoutSeconds leaves time for Karpenter to start nodes
	// and for EBS to attach the first volumes.
	prometheusStackTimeoutSeconds = 900

	// retentionSizePercent of the volume is the size Prometheus deletes old
	// blocks at. The rest is room for the write-ahead log growing between
	// checks and for a compaction, which briefly needs space for both its
	// input and its output blocks.
	retentionSizePercent = 85

	alertmanagerStorageGiB = 2
	grafanaStorageGiB      = 10
)

// prometheusStackValues are the values of the kube-prometheus-stack chart.
type prometheusStackValues struct {
	Prometheus   prometheusValues   `json:"prometheus"`
	Alertmanager alertmanagerValues `json:"alertmanager"`
	Grafana      grafanaValues      `json:"grafana"`

	// EKS runs the control plane out of reach of the cluster, and kube-proxy
	// serves its metrics on 127.0.0.1 only, so scraping these components
	// would only raise "target down" alerts forever.
	KubeControllerManager enabledValue `json:"kubeControllerManager"`
	KubeScheduler         enabledValue `json:"kubeScheduler"`
	KubeEtcd              enabledValue `json:"kubeEtcd"`
	KubeProxy             enabledValue `json:"kubeProxy"`
}

// enabledValue switches a chart component on or off.
type enabledValue struct {
	Enabled bool `json:"enabled"`
}

type prometheusValues struct {
	PrometheusSpec      prometheusSpec         `json:"prometheusSpec"`
	PodDisruptionBudget disruptionBudgetValues `json:"podDisruptionBudget"`
}

// labelSelector is an empty Kubernetes label selector, which selects
// everything.
type labelSelector struct{}

// prometheusSpec is the spec of the Prometheus custom resource.
//
// With the ...SelectorNilUsesHelmValues flags false, the chart leaves the
// monitor, rule, probe and scrape config selectors empty instead of
// matching its release label, and the empty namespace selectors match
// every namespace. Prometheus then picks up every ServiceMonitor,
// PodMonitor, PrometheusRule, Probe and ScrapeConfig in the cluster, such
// as those that applications deploy with their own charts.
type prometheusSpec struct {
	Replicas        int                  `json:"replicas"`
	Retention       string               `json:"retention"`
	RetentionSize   string               `json:"retentionSize"`
	Resources       resourceRequirements `json:"resources"`
	StorageSpec     storageSpec          `json:"storageSpec"`
	PodAntiAffinity string               `json:"podAntiAffinity,omitempty"`

	PodMonitorSelectorNilUsesHelmValues     bool `json:"podMonitorSelectorNilUsesHelmValues"`
	ServiceMonitorSelectorNilUsesHelmValues bool `json:"serviceMonitorSelectorNilUsesHelmValues"`
	RuleSelectorNilUsesHelmValues           bool `json:"ruleSelectorNilUsesHelmValues"`
	ProbeSelectorNilUsesHelmValues          bool `json:"probeSelectorNilUsesHelmValues"`
	ScrapeConfigSelectorNilUsesHelmValues   bool `json:"scrapeConfigSelectorNilUsesHelmValues"`

	PodMonitorNamespaceSelector     labelSelector `json:"podMonitorNamespaceSelector"`
	ServiceMonitorNamespaceSelector labelSelector `json:"serviceMonitorNamespaceSelector"`
	RuleNamespaceSelector           labelSelector `json:"ruleNamespaceSelector"`
	ProbeNamespaceSelector          labelSelector `json:"probeNamespaceSelector"`
	ScrapeConfigNamespaceSelector   labelSelector `json:"scrapeConfigNamespaceSelector"`
}

type alertmanagerValues struct {
	AlertmanagerSpec    alertmanagerSpec       `json:"alertmanagerSpec"`
	PodDisruptionBudget disruptionBudgetValues `json:"podDisruptionBudget"`
}

// alertmanagerSpec is the spec of the Alertmanager custom resource. Its
// volume keeps silences and the notification log across restarts.
type alertmanagerSpec struct {
	Replicas        int                  `json:"replicas"`
	Storage         storageSpec          `json:"storage"`
	Resources       resourceRequirements `json:"resources"`
	PodAntiAffinity string               `json:"podAntiAffinity,omitempty"`
}

// grafanaValues are the values of the grafana subchart.
type grafanaValues struct {
	Replicas            int                      `json:"replicas"`
	Admin               grafanaAdminValues       `json:"admin"`
	Persistence         grafanaPersistence       `json:"persistence"`
	DeploymentStrategy  deploymentStrategy       `json:"deploymentStrategy"`
	Service             grafanaService           `json:"service"`
	Ingress             enabledValues            `json:"ingress"`
	PodDisruptionBudget *grafanaDisruptionBudget `json:"podDisruptionBudget,omitempty"`
	Resources           resourceRequirements     `json:"resources"`
}

// grafanaAdminValues point Grafana at the Secret External Secrets creates.
type grafanaAdminValues struct {
	ExistingSecret string `json:"existingSecret"`
	UserKey        string `json:"userKey"`
	PasswordKey    string `json:"passwordKey"`
}

type grafanaPersistence struct {
	Enabled          bool     `json:"enabled"`
	Type             string   `json:"type,omitempty"`
	StorageClassName string   `json:"storageClassName,omitempty"`
	AccessModes      []string `json:"accessModes,omitempty"`
	Size             string   `json:"size,omitempty"`
}

type deploymentStrategy struct {
	Type string `json:"type"`
}

type grafanaService struct {
	Type            string `json:"type"`
	SessionAffinity string `json:"sessionAffinity,omitempty"`
}

// grafanaDisruptionBudget is the grafana chart's budget block, which has
// no enabled flag: the chart creates the budget when the block is set.
type grafanaDisruptionBudget struct {
	MinAvailable int `json:"minAvailable"`
}

// newPrometheusStack installs Prometheus, Alertmanager, Grafana, the
// Prometheus operator, kube-state-metrics and the node exporter. deps must
// include the base release, which creates the Secret Grafana's
// administrator comes from.
func newPrometheusStack(scope constructs.Construct, cfg Config, deps ...cdktf.ITerraformDependable) release.Release {
	return helmrelease.New(scope, "kube_prometheus_stack", helmrelease.Config{
		Name:           prometheusStackReleaseName,
		Namespace:      Namespace,
		Repository:     prometheusStackRepository,
		Chart:          prometheusStackChart,
		Version:        cfg.KubePrometheusStackVersion,
		Values:         prometheusStackValuesFor(cfg),
		TimeoutSeconds: prometheusStackTimeoutSeconds,
		Provider:       cfg.Cluster.HelmProvider,
		DependsOn:      dependencies(cfg, deps...),
	})
}

// prometheusStackValuesFor returns the chart values for cfg.
//
// In high availability, hard anti-affinity puts each Prometheus and
// Alertmanager replica on its own node, so one node drain never stops all
// of them, and the budgets keep one replica of each running. The two
// Prometheus replicas scrape the same targets independently.
func prometheusStackValuesFor(cfg Config) prometheusStackValues {
	prometheusReplicas, alertmanagerReplicas := 1, 1
	antiAffinity := ""
	if cfg.HighAvailability {
		prometheusReplicas, alertmanagerReplicas = 2, 3
		antiAffinity = "hard"
	}
	budget := disruptionBudgetValues{Enabled: cfg.HighAvailability}
	if cfg.HighAvailability {
		budget.MinAvailable = 1
	}

	return prometheusStackValues{
		KubeControllerManager: enabledValue{Enabled: false},
		KubeScheduler:         enabledValue{Enabled: false},
		KubeEtcd:              enabledValue{Enabled: false},
		KubeProxy:             enabledValue{Enabled: false},
		Prometheus: prometheusValues{
			PrometheusSpec: prometheusSpec{
				Replicas:      prometheusReplicas,
				Retention:     fmt.Sprintf("%dd", cfg.PrometheusRetentionDays),
				RetentionSize: retentionSize(cfg.PrometheusStorageGiB),
				Resources: resourceRequirements{
					Requests: resourceList{CPU: "500m", Memory: "2Gi"},
					Limits:   &resourceList{Memory: "4Gi"},
				},
				StorageSpec:     newStorageSpec(cfg.PrometheusStorageGiB),
				PodAntiAffinity: antiAffinity,
			},
			PodDisruptionBudget: budget,
		},
		Alertmanager: alertmanagerValues{
			AlertmanagerSpec: alertmanagerSpec{
				Replicas: alertmanagerReplicas,
				Storage:  newStorageSpec(alertmanagerStorageGiB),
				Resources: resourceRequirements{
					Requests: resourceList{CPU: "50m", Memory: "128Mi"},
					Limits:   &resourceList{Memory: "256Mi"},
				},
				PodAntiAffinity: antiAffinity,
			},
			PodDisruptionBudget: budget,
		},
		Grafana: grafanaValuesFor(cfg.HighAvailability),
	}
}

// retentionSize returns the size-based retention limit for a volume of
// storageGiB. Prometheus reads "GB" as a power of two, so this is GiB.
func retentionSize(storageGiB int) string {
	return fmt.Sprintf("%dGB", storageGiB*retentionSizePercent/100)
}

// grafanaValuesFor returns Grafana's values: one replica on a gp3 volume,
// or two replicas without volumes in high availability.
//
// Grafana keeps users, sessions and dashboards made in the UI in a SQLite
// file. A gp3 volume attaches to one node at a time, and two replicas with
// a volume each would keep two diverging databases, so replicas beyond one
// need a shared PostgreSQL or MySQL database, which this package does not
// create. Two replicas therefore run without persistence: the
// administrator comes from the Secret, and data sources and dashboards are
// provisioned from ConfigMaps by the chart's sidecar, so both replicas
// serve the same content. Changes made in the UI last until the pod
// restarts. Each replica keeps its own login sessions, so the Service pins
// each client to one replica. An ingress in front of it must enable sticky
// sessions as well.
//
// The single replica is replaced with the Recreate strategy, because its
// volume cannot attach to a second pod on another node during a rolling
// update.
func grafanaValuesFor(ha bool) grafanaValues {
	values := grafanaValues{
		Replicas: 1,
		Admin: grafanaAdminValues{
			ExistingSecret: grafanaAdminSecret,
			UserKey:        grafanaAdminUserKey,
			PasswordKey:    grafanaAdminPasswordKey,
		},
		Persistence: grafanaPersistence{
			Enabled:          true,
			Type:             "pvc",
			StorageClassName: storageClassName,
			AccessModes:      []string{"ReadWriteOnce"},
			Size:             gibibytes(grafanaStorageGiB),
		},
		DeploymentStrategy: deploymentStrategy{Type: "Recreate"},
		Service:            grafanaService{Type: "ClusterIP"},
		Ingress:            enabledValues{Enabled: false},
		Resources: resourceRequirements{
			Requests: resourceList{CPU: "100m", Memory: "256Mi"},
			Limits:   &resourceList{Memory: "512Mi"},
		},
	}
	if !ha {
		return values
	}

	values.Replicas = 2
	values.Persistence = grafanaPersistence{Enabled: false}
	values.DeploymentStrategy = deploymentStrategy{Type: "RollingUpdate"}
	values.Service.SessionAffinity = "ClientIP"
	values.PodDisruptionBudget = &grafanaDisruptionBudget{MinAvailable: 1}
	return values
}
