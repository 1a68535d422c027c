package gitops

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/honeyhive/platform/constructs/helmrelease"
	"github.com/honeyhive/platform/internal/synthtest"
)

const (
	testRepoURL = "https://github.com/honeyhive/platform-apps.git"
	inCluster   = "https://kubernetes.default.svc"
)

func validConfig() Config {
	return Config{
		RepoURL:  testRepoURL,
		Revision: "main",
		Path:     "environments/prod/us-west-2",
		Name:     "prod-usw2",

		AllowedNamespaces: []string{"team-ingest", "team-evals"},
	}
}

// synthGitOps builds a GitOps construct from cfg, with a stand-in Argo CD
// release as its dependency, and returns it with its helm_release.
func synthGitOps(t *testing.T, cfg Config) (*GitOps, map[string]any) {
	t.Helper()
	stack := synthtest.Stack(t)
	argoCD := helmrelease.New(stack, "argocd", helmrelease.Config{
		Name:       "argocd",
		Namespace:  "argocd",
		Repository: "https://argoproj.github.io/argo-helm",
		Chart:      "argo-cd",
		Version:    "10.4.0",
	})
	cfg.DependsOn = []cdktf.ITerraformDependable{argoCD}

	g := New(stack, "gitops", cfg)
	doc := synthtest.Synth(t, stack)
	return g, doc.Resource(t, "helm_release", "gitops_applications_release")
}

func TestGitOpsRelease(t *testing.T) {
	g, release := synthGitOps(t, validConfig())

	assert.Equal(t, "prod-usw2-gitops", release["name"])
	assert.Equal(t, "argocd", release["namespace"])
	assert.Contains(t, release["depends_on"], "helm_release.argocd", "the CRDs come with Argo CD")
	assert.Equal(t, "prod-usw2", g.ProjectName)
	assert.Equal(t, "prod-usw2", g.ApplicationSetName)

	manifests := releaseManifests(t, release)
	require.Len(t, manifests, 2)
	for _, m := range manifests {
		assert.Equal(t, "argoproj.io/v1alpha1", m["apiVersion"], m["kind"])
		assert.Equal(t, "argocd", synthtest.ValueAt(m, "metadata.namespace"), m["kind"])
		assert.Equal(t, "prod-usw2", synthtest.ValueAt(m, "metadata.name"), m["kind"])
	}
}

func TestGitOpsProjectRestrictions(t *testing.T) {
	_, release := synthGitOps(t, validConfig())
	project := manifestOfKind(t, releaseManifests(t, release), "AppProject")

	assert.Equal(t, []any{"resources-finalizer.argocd.argoproj.io"}, synthtest.ValueAt(project, "metadata.finalizers"))
	assert.Equal(t, []any{testRepoURL}, synthtest.ValueAt(project, "spec.sourceRepos"), "one source repository")
	assert.Equal(t, []any{}, synthtest.ValueAt(project, "spec.clusterResourceWhitelist"),
		"an empty list, not a missing one, admits no cluster-scoped kind")
	assert.Nil(t, synthtest.ValueAt(project, "spec.clusterResourceBlacklist"))
	assert.Nil(t, synthtest.ValueAt(project, "spec.namespaceResourceWhitelist"), "without a whitelist, the blacklist alone limits namespaced kinds")
}

func TestGitOpsProjectDestinations(t *testing.T) {
	cfg := validConfig()
	cfg.AllowedNamespaces = []string{"team-ingest", "team-evals", "team-web"}
	_, release := synthGitOps(t, cfg)
	project := manifestOfKind(t, releaseManifests(t, release), "AppProject")

	destinations := synthtest.ValueAt(project, "spec.destinations").([]any)
	var namespaces []any
	for _, d := range destinations {
		entry := d.(map[string]any)
		assert.Equal(t, inCluster, entry["server"], "every entry names the in-cluster server, so no other cluster matches")
		namespaces = append(namespaces, entry["namespace"])
	}

	assert.Equal(t, []any{"team-ingest", "team-evals", "team-web"}, namespaces, "exactly the allowed namespaces, in order")
	for _, ns := range namespaces {
		s := ns.(string)
		assert.NotContains(t, s, "*", "no wildcard destination")
		assert.False(t, strings.HasPrefix(s, "!"), "no deny entries")
	}
	for _, outside := range []string{"team-billing", "kube-system", "argocd", "default"} {
		assert.NotContains(t, namespaces, outside, "a namespace outside AllowedNamespaces")
	}
}

func TestGitOpsProjectDeniedKinds(t *testing.T) {
	_, release := synthGitOps(t, validConfig())
	project := manifestOfKind(t, releaseManifests(t, release), "AppProject")

	denied := synthtest.ValueAt(project, "spec.namespaceResourceBlacklist")
	require.IsType(t, []any{}, denied)
	var kinds []string
	for _, d := range denied.([]any) {
		entry := d.(map[string]any)
		require.Contains(t, entry, "group", "%v: Argo CD needs the group, even the empty core group", entry)
		kinds = append(kinds, entry["group"].(string)+"/"+entry["kind"].(string))
	}

	assert.ElementsMatch(t, []string{
		"networking.k8s.io/NetworkPolicy",
		"/ResourceQuota",
		"/LimitRange",
		"rbac.authorization.k8s.io/Role",
		"rbac.authorization.k8s.io/RoleBinding",
		"external-secrets.io/SecretStore",
		"external-secrets.io/ClusterSecretStore",
	}, kinds)
}

func TestGitOpsGeneratorPath(t *testing.T) {
	_, release := synthGitOps(t, validConfig())
	set := manifestOfKind(t, releaseManifests(t, release), "ApplicationSet")

	generators := synthtest.ValueAt(set, "spec.generators").([]any)
	require.Len(t, generators, 1)
	git := synthtest.ValueAt(generators[0].(map[string]any), "git").(map[string]any)
	assert.Equal(t, testRepoURL, git["repoURL"])
	assert.Equal(t, "main", git["revision"])
	assert.Equal(t, []any{map[string]any{"path": "environments/prod/us-west-2/*"}}, git["directories"],
		"each folder directly below the path is one application")
}

func TestGitOpsTemplateFields(t *testing.T) {
	_, release := synthGitOps(t, validConfig())
	set := manifestOfKind(t, releaseManifests(t, release), "ApplicationSet")

	assert.Equal(t, true, synthtest.ValueAt(set, "spec.goTemplate"))
	assert.Equal(t, []any{"missingkey=error"}, synthtest.ValueAt(set, "spec.goTemplateOptions"))
	assert.Equal(t, "{{.path.basename}}", synthtest.ValueAt(set, "spec.template.metadata.name"))
	assert.Equal(t, "prod-usw2", synthtest.ValueAt(set, "spec.template.spec.project"), "the project is fixed, not templated")
	assert.Equal(t, testRepoURL, synthtest.ValueAt(set, "spec.template.spec.source.repoURL"))
	assert.Equal(t, "main", synthtest.ValueAt(set, "spec.template.spec.source.targetRevision"))
	assert.Equal(t, "{{.path.path}}", synthtest.ValueAt(set, "spec.template.spec.source.path"))
	assert.Equal(t, inCluster, synthtest.ValueAt(set, "spec.template.spec.destination.server"))
	assert.Equal(t, "{{.path.basename}}", synthtest.ValueAt(set, "spec.template.spec.destination.namespace"))

	for _, field := range []string{"metadata.name", "spec.source.path", "spec.destination.namespace"} {
		value := synthtest.ValueAt(set, "spec.template."+field).(string)
		assert.NotContains(t, value, "{{path", "%s uses the Go template syntax that goTemplate selects", field)
	}
}

func TestGitOpsSyncPolicy(t *testing.T) {
	_, release := synthGitOps(t, validConfig())
	set := manifestOfKind(t, releaseManifests(t, release), "ApplicationSet")

	assert.Equal(t, true, synthtest.ValueAt(set, "spec.syncPolicy.preserveResourcesOnDeletion"),
		"deleting an Application leaves its workloads running")

	policy := synthtest.ValueAt(set, "spec.template.spec.syncPolicy").(map[string]any)
	assert.Equal(t, map[string]any{"prune": true, "selfHeal": true}, policy["automated"])
	assert.Equal(t, []any{"ServerSideApply=true"}, policy["syncOptions"], "no CreateNamespace: the tenancy package creates the namespaces")
	assert.Equal(t, float64(5), synthtest.ValueAt(policy, "retry.limit"))
	assert.Equal(t, "10s", synthtest.ValueAt(policy, "retry.backoff.duration"))
	assert.Equal(t, float64(2), synthtest.ValueAt(policy, "retry.backoff.factor"))
	assert.Equal(t, "5m", synthtest.ValueAt(policy, "retry.backoff.maxDuration"))
}

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"empty repository", func(c *Config) { c.RepoURL = "" }, "Config.RepoURL is empty"},
		{"plain http repository", func(c *Config) { c.RepoURL = "http://github.com/honeyhive/platform-apps.git" }, `"http://github.com/honeyhive/platform-apps.git" is not an https:// or SSH Git URL`},
		{"repository without path", func(c *Config) { c.RepoURL = "https://github.com" }, "is not an https:// or SSH Git URL"},
		{"repository with spaces", func(c *Config) { c.RepoURL = "https://github.com/honeyhive/platform apps.git" }, "is not an https:// or SSH Git URL"},
		{"repository with token", func(c *Config) { c.RepoURL = "https://x-token:secret@github.com/honeyhive/platform-apps.git" }, "contains credentials before the host"},
		{"empty revision", func(c *Config) { c.Revision = "" }, "Config.Revision is empty"},
		{"revision with space", func(c *Config) { c.Revision = "main branch" }, `"main branch" is not a Git revision`},
		{"revision range", func(c *Config) { c.Revision = "main..dev" }, `"main..dev" is not a Git revision`},
		{"empty path", func(c *Config) { c.Path = "" }, "Config.Path is empty"},
		{"absolute path", func(c *Config) { c.Path = "/environments/prod/us-west-2" }, `"/environments/prod/us-west-2" is absolute; use a folder relative to the repository root, such as "environments/prod/us-west-2"`},
		{"parent segment", func(c *Config) { c.Path = "environments/../prod" }, "is not a clean relative path"},
		{"trailing slash", func(c *Config) { c.Path = "environments/prod/" }, "is not a clean relative path"},
		{"dot segment", func(c *Config) { c.Path = "./environments/prod" }, "is not a clean relative path"},
		{"wildcard path", func(c *Config) { c.Path = "environments/*" }, "contains a wildcard"},
		{"empty name", func(c *Config) { c.Name = "" }, "Config.Name is empty"},
		{"uppercase name", func(c *Config) { c.Name = "Prod-usw2" }, `"Prod-usw2" is invalid`},
		{"long name", func(c *Config) { c.Name = strings.Repeat("a", 47) }, "longer than 53 characters"},
		{"default project", func(c *Config) { c.Name = "default" }, `"default" is Argo CD's built-in project`},
		{"bad namespace", func(c *Config) { c.Namespace = "Argo CD" }, `Config.Namespace: "Argo CD" is not a namespace name`},
		{"no allowed namespaces", func(c *Config) { c.AllowedNamespaces = nil }, "gitops: Config.AllowedNamespaces is empty; list the tenants' namespaces, where the applications deploy to"},
		{"bad allowed namespace", func(c *Config) { c.AllowedNamespaces = []string{"ok", "not_ok"} }, `gitops: Config.AllowedNamespaces[1]: "not_ok" is not a namespace name; use 1 to 63 lowercase letters, digits and hyphens`},
		{"wildcard namespace", func(c *Config) { c.AllowedNamespaces = []string{"*"} }, `gitops: Config.AllowedNamespaces[0]: "*" is not a namespace name`},
		{"Argo CD namespace", func(c *Config) { c.AllowedNamespaces = []string{"team-ingest", "argocd"} }, `gitops: Config.AllowedNamespaces[1]: "argocd" is Argo CD's namespace; remove it, because an application there could change Argo CD's projects`},
		{"custom Argo CD namespace", func(c *Config) { c.Namespace = "gitops-system"; c.AllowedNamespaces = []string{"gitops-system"} }, `gitops: Config.AllowedNamespaces[0]: "gitops-system" is Argo CD's namespace`},
		{"platform namespace", func(c *Config) { c.AllowedNamespaces = []string{"kube-system"} }, `gitops: Config.AllowedNamespaces[0]: "kube-system" is a platform namespace; list only tenant namespaces, not kube-system, kube-public, kube-node-lease, default, argocd, cert-manager, external-dns, external-secrets, monitoring`},
		{"monitoring namespace", func(c *Config) { c.AllowedNamespaces = []string{"monitoring"} }, `gitops: Config.AllowedNamespaces[0]: "monitoring" is a platform namespace`},
		{"duplicate namespace", func(c *Config) { c.AllowedNamespaces = []string{"team-ingest", "team-ingest"} }, `gitops: Config.AllowedNamespaces[1]: "team-ingest" is already listed as AllowedNamespaces[0]; list each namespace once`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := validConfig()
			c.mutate(&cfg)
			assert.ErrorContains(t, cfg.withDefaults().Validate(), c.want)
		})
	}

	valid := []string{
		testRepoURL,
		"git@github.com:honeyhive/platform-apps.git",
		"ssh://git@github.com/honeyhive/platform-apps.git",
	}
	for _, url := range valid {
		cfg := validConfig()
		cfg.RepoURL = url
		assert.NoError(t, cfg.withDefaults().Validate(), url)
	}
	long := validConfig()
	long.Name = strings.Repeat("a", 46)
	assert.NoError(t, long.withDefaults().Validate(), "a 46-character name fits the release name")
}

func TestConfigValidateHidesCredentials(t *testing.T) {
	cfg := validConfig()
	cfg.RepoURL = "https://x-token:ghp_example123@github.com/honeyhive/platform-apps.git"

	err := cfg.withDefaults().Validate()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "ghp_example123", "the message must not repeat the token")
}

func TestNewPanicsOnInvalidConfig(t *testing.T) {
	stack := synthtest.Stack(t)
	cfg := validConfig()
	cfg.Revision = ""

	assert.PanicsWithError(t,
		`gitops: Config.Revision is empty; set the branch, tag or commit Argo CD follows, for example "main"`,
		func() { New(stack, "gitops", cfg) })
}

// releaseManifests decodes the manifests of a helmrelease.NewManifests
// release.
func releaseManifests(t *testing.T, release map[string]any) []map[string]any {
	t.Helper()
	documents, ok := release["values"].([]any)
	require.True(t, ok, "release has no values list")
	require.Len(t, documents, 1)

	var values struct {
		Manifests []map[string]any `json:"manifests"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(documents[0].(string)), &values))
	return values.Manifests
}

// manifestOfKind returns the one manifest of kind.
func manifestOfKind(t *testing.T, manifests []map[string]any, kind string) map[string]any {
	t.Helper()
	var found []map[string]any
	for _, m := range manifests {
		if m["kind"] == kind {
			found = append(found, m)
		}
	}
	require.Lenf(t, found, 1, "expected one %s manifest", kind)
	return found[0]
}
