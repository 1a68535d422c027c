package addons

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/honeyhive/platform/constructs/awsid"
)

// DefaultLoadBalancerControllerChartVersion pins the aws-load-balancer-controller
// chart of https://aws.github.io/eks-charts. Chart 1.14.1 installs controller
// v2.14.1, and the IAM policy in loadbalancercontrollerpolicy.go follows that
// release's docs/install/iam_policy.json.
//
// NOTE: charts 1.15 to 1.17 and 3.x (controllers v2.15 to v3.x) exist. Their
// IAM policies were not reviewed, so moving past 1.14.x needs the policy
// compared with the new release's iam_policy.json first.
const DefaultLoadBalancerControllerChartVersion = "1.14.1"

const (
	loadBalancerControllerRepository     = "https://aws.github.io/eks-charts"
	loadBalancerControllerChart          = "aws-load-balancer-controller"
	loadBalancerControllerNamespace      = "kube-system"
	loadBalancerControllerServiceAccount = "aws-load-balancer-controller"
	loadBalancerControllerRoleSuffix     = "aws-load-balancer-controller"

	// loadBalancerControllerReplicas keeps a second pod for the controller's
	// admission webhook, which validates Ingresses and Services and injects
	// target-health readiness gates into pods.
	loadBalancerControllerReplicas = 2
)

var vpcIDPattern = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)

// LoadBalancerControllerConfig configures the AWS Load Balancer Controller.
type LoadBalancerControllerConfig struct {
	// Cluster is the cluster to install on. Cluster.VPCID is required.
	Cluster ClusterInfo

	// ChartVersion is the exact chart version.
	// Default: DefaultLoadBalancerControllerChartVersion.
	ChartVersion string
}

// loadBalancerControllerValues are the chart values the controller needs.
// Region and VPC ID are set explicitly, so the controller does not depend on
// the instance metadata service to discover them.
type loadBalancerControllerValues struct {
	ClusterName         string               `json:"clusterName"`
	Region              string               `json:"region"`
	VPCID               string               `json:"vpcId"`
	ReplicaCount        int                  `json:"replicaCount"`
	ServiceAccount      ServiceAccountValues `json:"serviceAccount"`
	Tolerations         []Toleration         `json:"tolerations"`
	PodDisruptionBudget maxUnavailableBudget `json:"podDisruptionBudget"`
	EnableShield        bool                 `json:"enableShield"`
	EnableWAF           bool                 `json:"enableWaf"`
	EnableWAFv2         bool                 `json:"enableWafv2"`
}

// maxUnavailableBudget is a PodDisruptionBudget block. The chart renders it
// when it is not empty and more than one replica runs.
type maxUnavailableBudget struct {
	MaxUnavailable int `json:"maxUnavailable"`
}

// NewLoadBalancerController installs the AWS Load Balancer Controller in
// kube-system, which turns Ingresses into Application Load Balancers and
// Services of type LoadBalancer into Network Load Balancers. It panics if cfg
// is invalid.
//
// The controller's WAF Classic and Shield Advanced integrations are switched
// off, and the policy leaves out their permissions. WAF Classic support
// ended on 30 September 2025, and the platform has no Shield Advanced
// subscription. WAFv2 stays on, so the application layer can attach web ACLs
// to its load balancers.
func NewLoadBalancerController(scope constructs.Construct, id string, cfg LoadBalancerControllerConfig) *Addon {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	policy := loadBalancerControllerPolicy(cfg.Cluster)
	return newAddon(scope, id, addonSpec{
		cluster:        cfg.Cluster,
		releaseName:    "aws-load-balancer-controller",
		namespace:      loadBalancerControllerNamespace,
		serviceAccount: loadBalancerControllerServiceAccount,
		repository:     loadBalancerControllerRepository,
		chart:          loadBalancerControllerChart,
		version:        cfg.ChartVersion,
		values: loadBalancerControllerValues{
			ClusterName:         cfg.Cluster.Name,
			Region:              cfg.Cluster.Region,
			VPCID:               *cfg.Cluster.VPCID,
			ReplicaCount:        loadBalancerControllerReplicas,
			ServiceAccount:      ServiceAccountValues{Create: true, Name: loadBalancerControllerServiceAccount},
			Tolerations:         systemNodeTolerations(),
			PodDisruptionBudget: maxUnavailableBudget{MaxUnavailable: 1},
			EnableShield:        false,
			EnableWAF:           false,
			EnableWAFv2:         true,
		},
		roleSuffix: loadBalancerControllerRoleSuffix,
		policy:     &policy,
	})
}

// withDefaults returns a copy of c with defaults filled in.
func (c LoadBalancerControllerConfig) withDefaults() LoadBalancerControllerConfig {
	c.Cluster = c.Cluster.withDefaults()
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultLoadBalancerControllerChartVersion
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c LoadBalancerControllerConfig) Validate() error {
	errs := c.Cluster.validate("LoadBalancerControllerConfig.Cluster", loadBalancerControllerRoleSuffix)
	switch {
	case awsid.Missing(c.Cluster.VPCID):
		errs = append(errs, errors.New("addons: LoadBalancerControllerConfig.Cluster.VPCID is missing; pass the cluster VPC's ID, in which the controller creates security groups"))
	case isLiteral(c.Cluster.VPCID) && !vpcIDPattern.MatchString(*c.Cluster.VPCID):
		errs = append(errs, fmt.Errorf(`addons: LoadBalancerControllerConfig.Cluster.VPCID: %q is not a VPC ID; use one such as "vpc-0123456789abcdef0"`, *c.Cluster.VPCID))
	}
	if err := validateChartVersion("LoadBalancerControllerConfig.ChartVersion", c.ChartVersion); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
