package gitops

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

// InClusterServer is the API server address with which Argo CD names the
// cluster it runs in.
const InClusterServer = "https://kubernetes.default.svc"

const (
	argoCDAPIVersion = "argoproj.io/v1alpha1"

	// projectFinalizer keeps Argo CD from deleting the AppProject while an
	// Application still refers to it.
	projectFinalizer = "resources-finalizer.argocd.argoproj.io"

	// Retries of a failed sync: 10 s, then twice as long each time, at most
	// 5 minutes apart, five times in all.
	syncRetryLimit       = 5
	syncRetryDuration    = "10s"
	syncRetryFactor      = 2
	syncRetryMaxDuration = "5m"
)

// deniedNamespacedKinds are the namespaced kinds the applications may not
// create or change. The tenancy package manages the network policies,
// quotas, limit ranges and role bindings of every tenant namespace, and
// Argo CD would otherwise replace them. Roles could grant more than the
// tenant role, and a SecretStore could read secrets with credentials other
// than the tenant's. ClusterSecretStore is cluster-scoped, and Argo CD
// consults this list for namespaced objects only, so the empty
// clusterResourceWhitelist is what denies it. The entry states the intent
// next to the SecretStore entry.
var deniedNamespacedKinds = []groupKind{
	{Group: "networking.k8s.io", Kind: "NetworkPolicy"},
	{Group: "", Kind: "ResourceQuota"},
	{Group: "", Kind: "LimitRange"},
	{Group: "rbac.authorization.k8s.io", Kind: "Role"},
	{Group: "rbac.authorization.k8s.io", Kind: "RoleBinding"},
	{Group: "external-secrets.io", Kind: "SecretStore"},
	{Group: "external-secrets.io", Kind: "ClusterSecretStore"},
}

// GitOps is an Argo CD AppProject and an ApplicationSet that turn each
// folder below Config.Path into one automatically synced Application.
type GitOps struct {
	constructs.Construct

	// ProjectName is the AppProject's name, Config.Name.
	ProjectName string

	// ApplicationSetName is the ApplicationSet's name, Config.Name.
	ApplicationSetName string
}

// New creates a Helm release in Argo CD's namespace that applies the
// AppProject and the ApplicationSet. It panics if cfg is invalid.
//
// The project admits one source repository and, as destinations, only
// AllowedNamespaces on the in-cluster API server. It admits no
// cluster-scoped kind, and it denies the namespaced kinds that would undo a
// tenant's isolation: NetworkPolicies, ResourceQuotas, LimitRanges, Roles,
// RoleBindings and SecretStores.
func New(scope constructs.Construct, id string, cfg Config) *GitOps {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))
	helmrelease.NewManifests(c, "applications", helmrelease.ManifestsConfig{
		Name:      cfg.Name + releaseNameSuffix,
		Namespace: cfg.Namespace,
		Manifests: []any{project(cfg), applications(cfg)},
		Provider:  cfg.HelmProvider,
		DependsOn: cfg.DependsOn,
	})

	return &GitOps{
		Construct:          c,
		ProjectName:        cfg.Name,
		ApplicationSetName: cfg.Name,
	}
}

// project returns the AppProject that every generated Application belongs
// to.
func project(cfg Config) appProject {
	// Argo CD admits a destination that matches an entry in both server and
	// namespace. The entries name the in-cluster server rather than "*", so
	// that no other cluster registered with Argo CD matches.
	destinations := make([]destination, len(cfg.AllowedNamespaces))
	for i, ns := range cfg.AllowedNamespaces {
		destinations[i] = destination{Server: InClusterServer, Namespace: ns}
	}

	return appProject{
		APIVersion: argoCDAPIVersion,
		Kind:       "AppProject",
		Metadata: objectMeta{
			Name:       cfg.Name,
			Namespace:  cfg.Namespace,
			Finalizers: []string{projectFinalizer},
		},
		Spec: appProjectSpec{
			Description:                "Applications of " + cfg.Name + " from " + cfg.RepoURL + ", folder " + cfg.Path,
			SourceRepos:                []string{cfg.RepoURL},
			Destinations:               destinations,
			ClusterResourceWhitelist:   []groupKind{},
			NamespaceResourceBlacklist: deniedNamespacedKinds,
		},
	}
}

// applications returns the ApplicationSet with a Git directory generator:
// every folder directly below cfg.Path becomes an Application of the same
// name, deployed to the namespace of the same name.
func applications(cfg Config) applicationSet {
	return applicationSet{
		APIVersion: argoCDAPIVersion,
		Kind:       "ApplicationSet",
		Metadata:   objectMeta{Name: cfg.Name, Namespace: cfg.Namespace},
		Spec: applicationSetSpec{
			GoTemplate:        true,
			GoTemplateOptions: []string{"missingkey=error"},
			Generators: []generator{{Git: gitGenerator{
				RepoURL:     cfg.RepoURL,
				Revision:    cfg.Revision,
				Directories: []gitDirectory{{Path: cfg.Path + "/*"}},
			}}},
			SyncPolicy: applicationSetSyncPolicy{PreserveResourcesOnDeletion: true},
			Template: applicationTemplate{
				Metadata: templateMeta{Name: "{{.path.basename}}"},
				Spec: applicationSpec{
					Project: cfg.Name,
					Source: applicationSource{
						RepoURL:        cfg.RepoURL,
						TargetRevision: cfg.Revision,
						Path:           "{{.path.path}}",
					},
					Destination: destination{Server: InClusterServer, Namespace: "{{.path.basename}}"},
					SyncPolicy: syncPolicy{
						Automated:   automatedSync{Prune: true, SelfHeal: true},
						SyncOptions: []string{"ServerSideApply=true"},
						Retry: retry{
							Limit: syncRetryLimit,
							Backoff: backoff{
								Duration:    syncRetryDuration,
								Factor:      syncRetryFactor,
								MaxDuration: syncRetryMaxDuration,
							},
						},
					},
				},
			},
		},
	}
}
