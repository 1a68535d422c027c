package karpenter

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

const (
	// chartRepository is the OCI registry of the Karpenter charts.
	chartRepository = "oci://public.ecr.aws/karpenter"

	// namespace is where the controller runs. kube-system keeps it next to
	// the other components that must run before any workload node exists.
	namespace = "kube-system"

	// serviceAccount is the controller's service account, which the Pod
	// Identity association names.
	serviceAccount = "karpenter"

	// controllerReplicas keeps one controller running while the other is
	// rescheduled. The two elect a leader, which does all the work.
	controllerReplicas = 2

	// criticalAddonsTaint is the taint of the system node group, which only
	// cluster-critical components tolerate.
	criticalAddonsTaint = "CriticalAddonsOnly"
)

// controllerResources are the controller's requests, equal to its limits so
// the pod is in the Guaranteed QoS class and is the last to be evicted from a
// node under memory pressure. One CPU and 1 GiB are the Karpenter getting
// started values.
var controllerResources = resourceList{CPU: "1", Memory: "1Gi"}

// chartValues are the values of the karpenter chart that this package sets.
type chartValues struct {
	ServiceAccount            serviceAccountValues       `json:"serviceAccount"`
	Replicas                  int                        `json:"replicas"`
	Tolerations               []toleration               `json:"tolerations"`
	NodeSelector              map[string]string          `json:"nodeSelector"`
	Affinity                  affinity                   `json:"affinity"`
	TopologySpreadConstraints []topologySpreadConstraint `json:"topologySpreadConstraints"`
	Controller                controllerValues           `json:"controller"`
	Settings                  settingsValues             `json:"settings"`
}

type serviceAccountValues struct {
	Create bool   `json:"create"`
	Name   string `json:"name"`
}

type toleration struct {
	Key      string `json:"key"`
	Operator string `json:"operator"`
	Effect   string `json:"effect,omitempty"`
}

type affinity struct {
	NodeAffinity    nodeAffinity    `json:"nodeAffinity"`
	PodAntiAffinity podAntiAffinity `json:"podAntiAffinity"`
}

type nodeAffinity struct {
	Required nodeSelector `json:"requiredDuringSchedulingIgnoredDuringExecution"`
}

type nodeSelector struct {
	NodeSelectorTerms []nodeSelectorTerm `json:"nodeSelectorTerms"`
}

type nodeSelectorTerm struct {
	MatchExpressions []requirement `json:"matchExpressions"`
}

// requirement is a Kubernetes node selector requirement. Karpenter's node
// pool requirements have the same shape.
type requirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"`
	Values   []string `json:"values,omitempty"`
}

type podAntiAffinity struct {
	// The chart fills in a label selector for its own pods when a term has
	// none.
	Required []podAffinityTerm `json:"requiredDuringSchedulingIgnoredDuringExecution"`
}

type podAffinityTerm struct {
	TopologyKey string `json:"topologyKey"`
}

type topologySpreadConstraint struct {
	MaxSkew           int    `json:"maxSkew"`
	TopologyKey       string `json:"topologyKey"`
	WhenUnsatisfiable string `json:"whenUnsatisfiable"`
}

type controllerValues struct {
	Resources resources `json:"resources"`
}

type resources struct {
	Requests resourceList `json:"requests"`
	Limits   resourceList `json:"limits"`
}

type resourceList struct {
	CPU    string `json:"cpu"`
	Memory string `json:"memory"`
}

type settingsValues struct {
	ClusterName       string `json:"clusterName"`
	ClusterEndpoint   string `json:"clusterEndpoint"`
	InterruptionQueue string `json:"interruptionQueue"`
}

// newChartValues returns the karpenter chart values. queueName and
// endpoint are usually tokens.
//
// The controller must never run on a node it manages: if it drained its own
// node it could not launch the replacement. The node affinity keeps it off
// every node that carries karpenter.sh/nodepool, which leaves the system
// node group; the toleration admits it there.
func newChartValues(c Config, queueName string) chartValues {
	return chartValues{
		ServiceAccount: serviceAccountValues{Create: true, Name: serviceAccount},
		Replicas:       controllerReplicas,
		Tolerations:    []toleration{{Key: criticalAddonsTaint, Operator: "Exists"}},
		NodeSelector:   map[string]string{"kubernetes.io/os": "linux"},
		Affinity: affinity{
			NodeAffinity: nodeAffinity{Required: nodeSelector{NodeSelectorTerms: []nodeSelectorTerm{{
				MatchExpressions: []requirement{{Key: "karpenter.sh/nodepool", Operator: "DoesNotExist"}},
			}}}},
			PodAntiAffinity: podAntiAffinity{Required: []podAffinityTerm{{TopologyKey: "kubernetes.io/hostname"}}},
		},
		TopologySpreadConstraints: []topologySpreadConstraint{{
			MaxSkew:           1,
			TopologyKey:       "topology.kubernetes.io/zone",
			WhenUnsatisfiable: "ScheduleAnyway",
		}},
		Controller: controllerValues{Resources: resources{Requests: controllerResources, Limits: controllerResources}},
		Settings: settingsValues{
			ClusterName:       c.ClusterName,
			ClusterEndpoint:   *c.ClusterEndpoint,
			InterruptionQueue: queueName,
		},
	}
}

// releases are the Helm releases of the CRDs and the controller.
type releases struct {
	crds       release.Release
	controller release.Release
}

// newReleases installs the CRD chart, then the controller chart.
//
// Helm installs the files in a chart's crds/ folder once and never upgrades
// or deletes them, so the CRDs of the karpenter chart would stay at the first
// installed version. The karpenter-crd chart carries the same CRDs as
// templates, which Helm upgrades with every chart version. The karpenter
// release skips its own crds/ folder, so only one release owns the CRDs.
//
// controllerDeps are resources the controller needs before it starts and
// until it is uninstalled, such as its Pod Identity role.
func newReleases(scope constructs.Construct, c Config, queueName string, controllerDeps []cdktf.ITerraformDependable) releases {
	crds := helmrelease.New(scope, "crd_release", helmrelease.Config{
		Name:       "karpenter-crd",
		Namespace:  namespace,
		Repository: chartRepository,
		Chart:      "karpenter-crd",
		Version:    c.ChartVersion,
		Provider:   c.HelmProvider,
		DependsOn:  c.DependsOn,
	})

	deps := append([]cdktf.ITerraformDependable{crds}, c.DependsOn...)
	deps = append(deps, controllerDeps...)
	controller := helmrelease.New(scope, "controller_release", helmrelease.Config{
		Name:       "karpenter",
		Namespace:  namespace,
		Repository: chartRepository,
		Chart:      "karpenter",
		Version:    c.ChartVersion,
		Values:     newChartValues(c, queueName),
		Provider:   c.HelmProvider,
		DependsOn:  deps,
	})
	controller.SetSkipCrds(jsii.Bool(true))

	return releases{crds: crds, controller: controller}
}
