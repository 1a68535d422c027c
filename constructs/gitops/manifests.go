package gitops

// The types below are the parts of the argoproj.io/v1alpha1 AppProject and
// ApplicationSet objects that this package sets, with Argo CD's field
// names.

// objectMeta is the metadata of an object in Argo CD's namespace.
type objectMeta struct {
	Name       string   `json:"name"`
	Namespace  string   `json:"namespace,omitempty"`
	Finalizers []string `json:"finalizers,omitempty"`
}

type appProject struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   objectMeta     `json:"metadata"`
	Spec       appProjectSpec `json:"spec"`
}

type appProjectSpec struct {
	Description string `json:"description"`

	// SourceRepos are the repositories the project's applications may use.
	SourceRepos []string `json:"sourceRepos"`

	// Destinations are the cluster and namespace pairs the applications may
	// deploy to.
	Destinations []destination `json:"destinations"`

	// ClusterResourceWhitelist lists the only cluster-scoped kinds the
	// applications may create. An empty list, written as [], admits none.
	ClusterResourceWhitelist []groupKind `json:"clusterResourceWhitelist"`

	// NamespaceResourceBlacklist lists the namespaced kinds the applications
	// may not create. Every other namespaced kind is allowed.
	NamespaceResourceBlacklist []groupKind `json:"namespaceResourceBlacklist"`
}

type destination struct {
	Server    string `json:"server"`
	Namespace string `json:"namespace"`
}

// groupKind names a Kubernetes kind. Group is "" for the core API group and
// is written even then.
type groupKind struct {
	Group string `json:"group"`
	Kind  string `json:"kind"`
}

type applicationSet struct {
	APIVersion string             `json:"apiVersion"`
	Kind       string             `json:"kind"`
	Metadata   objectMeta         `json:"metadata"`
	Spec       applicationSetSpec `json:"spec"`
}

type applicationSetSpec struct {
	// GoTemplate selects Go templates, whose parameters are written as
	// {{.path.basename}}, instead of the older fasttemplate syntax.
	GoTemplate bool `json:"goTemplate"`

	// GoTemplateOptions holds "missingkey=error", so that a misspelt
	// parameter fails instead of rendering as an empty string.
	GoTemplateOptions []string `json:"goTemplateOptions"`

	Generators []generator              `json:"generators"`
	SyncPolicy applicationSetSyncPolicy `json:"syncPolicy"`
	Template   applicationTemplate      `json:"template"`
}

type generator struct {
	Git gitGenerator `json:"git"`
}

// gitGenerator produces one set of parameters per repository folder that
// matches one of Directories.
type gitGenerator struct {
	RepoURL     string         `json:"repoURL"`
	Revision    string         `json:"revision"`
	Directories []gitDirectory `json:"directories"`
}

type gitDirectory struct {
	Path string `json:"path"`
}

type applicationSetSyncPolicy struct {
	// PreserveResourcesOnDeletion keeps an application's workloads running
	// when the ApplicationSet deletes its Application.
	PreserveResourcesOnDeletion bool `json:"preserveResourcesOnDeletion"`
}

// applicationTemplate is the Application each folder produces.
type applicationTemplate struct {
	Metadata templateMeta    `json:"metadata"`
	Spec     applicationSpec `json:"spec"`
}

type templateMeta struct {
	Name string `json:"name"`
}

type applicationSpec struct {
	Project     string            `json:"project"`
	Source      applicationSource `json:"source"`
	Destination destination       `json:"destination"`
	SyncPolicy  syncPolicy        `json:"syncPolicy"`
}

type applicationSource struct {
	RepoURL        string `json:"repoURL"`
	TargetRevision string `json:"targetRevision"`
	Path           string `json:"path"`
}

type syncPolicy struct {
	Automated   automatedSync `json:"automated"`
	SyncOptions []string      `json:"syncOptions"`
	Retry       retry         `json:"retry"`
}

// automatedSync syncs on every change in Git. Prune deletes resources
// removed from Git, and SelfHeal reverts changes made in the cluster.
type automatedSync struct {
	Prune    bool `json:"prune"`
	SelfHeal bool `json:"selfHeal"`
}

// retry repeats a failed sync Limit times, waiting Duration, then Factor
// times longer each time, up to MaxDuration.
type retry struct {
	Limit   int     `json:"limit"`
	Backoff backoff `json:"backoff"`
}

type backoff struct {
	Duration    string `json:"duration"`
	Factor      int    `json:"factor"`
	MaxDuration string `json:"maxDuration"`
}
