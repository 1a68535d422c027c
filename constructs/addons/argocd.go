package addons

import (
	"errors"

	"github.com/aws/constructs-go/constructs/v10"
)

// DefaultArgoCDChartVersion pins the argo-cd chart of
// https://argoproj.github.io/argo-helm, from the chart's GitHub release
// argo-cd-10.4.0. The high-availability values follow the chart README's
// autoscaling example.
const DefaultArgoCDChartVersion = "10.4.0"

const (
	argoCDRepository = "https://argoproj.github.io/argo-helm"
	argoCDChart      = "argo-cd"
	argoCDNamespace  = "argocd"

	// argoCDControllerServiceAccount is the application controller's
	// service account, the one that applies manifests to the cluster.
	argoCDControllerServiceAccount = "argocd-application-controller"

	// argoCDMaxReplicas caps the API server and repo server autoscalers.
	argoCDMaxReplicas = 5
)

// ArgoCDConfig configures Argo CD.
type ArgoCDConfig struct {
	// Cluster is the cluster to install on.
	Cluster ClusterInfo

	// HighAvailability runs Redis in HA mode and at least two replicas of
	// the API server, repo server and ApplicationSet controller, for
	// production. Redis HA places its pods on separate nodes, so the
	// cluster needs at least three nodes.
	HighAvailability bool

	// ChartVersion is the exact chart version.
	// Default: DefaultArgoCDChartVersion.
	ChartVersion string
}

// argoCDValues are the chart values of Argo CD. The chart copies
// global.tolerations to every Argo CD component, but the Redis HA subchart
// takes its own.
type argoCDValues struct {
	Global         argoCDGlobal         `json:"global"`
	Dex            argoCDEnabled        `json:"dex"`
	RedisHA        argoCDRedisHA        `json:"redis-ha"`
	Controller     argoCDController     `json:"controller"`
	Server         argoCDServer         `json:"server"`
	RepoServer     argoCDScaled         `json:"repoServer"`
	ApplicationSet argoCDApplicationSet `json:"applicationSet"`
}

type argoCDGlobal struct {
	Tolerations []Toleration `json:"tolerations"`
}

type argoCDEnabled struct {
	Enabled bool `json:"enabled"`
}

type argoCDRedisHA struct {
	Enabled     bool           `json:"enabled"`
	Tolerations []Toleration   `json:"tolerations,omitempty"`
	HAProxy     *argoCDHAProxy `json:"haproxy,omitempty"`
}

type argoCDHAProxy struct {
	Tolerations []Toleration `json:"tolerations"`
}

type argoCDController struct {
	Replicas       int                  `json:"replicas"`
	ServiceAccount ServiceAccountValues `json:"serviceAccount"`
}

// argoCDScaled is the block of a component that can run a fixed number of
// replicas or an autoscaler. The chart ignores Replicas while autoscaling is
// on.
type argoCDScaled struct {
	Replicas    int               `json:"replicas,omitempty"`
	Autoscaling argoCDAutoscaling `json:"autoscaling"`
	PDB         *argoCDPDB        `json:"pdb,omitempty"`
}

// argoCDServer is the API server's block: a scaled component with a
// Service.
type argoCDServer struct {
	Replicas    int               `json:"replicas,omitempty"`
	Autoscaling argoCDAutoscaling `json:"autoscaling"`
	PDB         *argoCDPDB        `json:"pdb,omitempty"`
	Service     argoCDService     `json:"service"`
}

type argoCDService struct {
	Type string `json:"type"`
}

type argoCDAutoscaling struct {
	Enabled     bool `json:"enabled"`
	MinReplicas int  `json:"minReplicas,omitempty"`
	MaxReplicas int  `json:"maxReplicas,omitempty"`
}

type argoCDPDB struct {
	Enabled      bool `json:"enabled"`
	MinAvailable int  `json:"minAvailable"`
}

type argoCDApplicationSet struct {
	Replicas int        `json:"replicas"`
	PDB      *argoCDPDB `json:"pdb,omitempty"`
}

// NewArgoCD installs Argo CD in the argocd namespace. It calls no AWS API, so
// it has no IAM role. It panics if cfg is invalid.
//
// Dex is off because Argo CD authenticates users through an OIDC provider
// configured by the application layer. The API server's Service is
// ClusterIP: the application layer exposes it through the load balancer
// controller's ALB, so no load balancer is created here.
//
// The application controller runs one replica in both modes, as the chart's
// high-availability example does: more replicas only shard clusters between
// them, and this Argo CD manages one cluster.
func NewArgoCD(scope constructs.Construct, id string, cfg ArgoCDConfig) *Addon {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	return newAddon(scope, id, addonSpec{
		cluster:        cfg.Cluster,
		releaseName:    "argocd",
		namespace:      argoCDNamespace,
		serviceAccount: argoCDControllerServiceAccount,
		repository:     argoCDRepository,
		chart:          argoCDChart,
		version:        cfg.ChartVersion,
		values:         argoCDValuesFor(cfg.HighAvailability),
	})
}

// argoCDValuesFor returns the values for a single-replica installation
// (apart from the autoscaled repo server), or for the high-availability one
// when ha is set.
func argoCDValuesFor(ha bool) argoCDValues {
	values := argoCDValues{
		Global:         argoCDGlobal{Tolerations: systemNodeTolerations()},
		Dex:            argoCDEnabled{Enabled: false},
		RedisHA:        argoCDRedisHA{Enabled: false},
		Controller:     argoCDController{Replicas: 1, ServiceAccount: ServiceAccountValues{Create: true, Name: argoCDControllerServiceAccount}},
		Server:         argoCDServer{Replicas: 1, Service: argoCDService{Type: "ClusterIP"}},
		ApplicationSet: argoCDApplicationSet{Replicas: 1},
	}

	// The repo server renders every application's manifests, so its load
	// follows the number of applications and syncs. It scales with CPU in
	// every tier, from one replica outside high availability.
	values.RepoServer = argoCDScaled{
		Autoscaling: argoCDAutoscaling{Enabled: true, MinReplicas: 1, MaxReplicas: argoCDMaxReplicas},
	}
	if !ha {
		return values
	}

	budget := &argoCDPDB{Enabled: true, MinAvailable: 1}
	autoscaled := argoCDScaled{
		Autoscaling: argoCDAutoscaling{Enabled: true, MinReplicas: 2, MaxReplicas: argoCDMaxReplicas},
		PDB:         budget,
	}
	values.RedisHA = argoCDRedisHA{
		Enabled:     true,
		Tolerations: systemNodeTolerations(),
		HAProxy:     &argoCDHAProxy{Tolerations: systemNodeTolerations()},
	}
	values.Server = argoCDServer{Autoscaling: autoscaled.Autoscaling, PDB: budget, Service: values.Server.Service}
	values.RepoServer = autoscaled
	values.ApplicationSet = argoCDApplicationSet{Replicas: 2, PDB: budget}
	return values
}

// withDefaults returns a copy of c with defaults filled in.
func (c ArgoCDConfig) withDefaults() ArgoCDConfig {
	c.Cluster = c.Cluster.withDefaults()
	if c.ChartVersion == "" {
		c.ChartVersion = DefaultArgoCDChartVersion
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c ArgoCDConfig) Validate() error {
	errs := c.Cluster.validate("ArgoCDConfig.Cluster", "")
	if err := validateChartVersion("ArgoCDConfig.ChartVersion", c.ChartVersion); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
