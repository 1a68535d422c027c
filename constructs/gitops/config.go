package gitops

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// DefaultNamespace is Argo CD's namespace, the one the hosting layer
// installs it in.
const DefaultNamespace = "argocd"

// releaseNameSuffix follows Config.Name in the Helm release name.
const releaseNameSuffix = "-gitops"

// maxReleaseNameLength is Helm's limit on release names.
const maxReleaseNameLength = 53

// maxLabelLength is the Kubernetes limit on namespace and label names.
const maxLabelLength = 63

// platformNamespaces are the namespaces of the platform itself: the
// Kubernetes system namespaces and those of the hosting layer's add-ons.
// AllowedNamespaces may not name them, nor Config.Namespace.
var platformNamespaces = []string{
	"kube-system", "kube-public", "kube-node-lease", "default",
	"argocd", "cert-manager", "external-dns", "external-secrets", "monitoring",
}

var (
	// dnsLabel is a Kubernetes namespace or project name (an RFC 1123
	// label, without the length limit).
	dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

	// gitRepoURL accepts the HTTPS and SSH forms Argo CD clones. Plain
	// http:// is rejected, because it neither authenticates the server
	// nor protects the credentials.
	gitRepoURL = regexp.MustCompile(`^(https://[^\s/@]+/\S+|ssh://[^\s/]+/\S+|git@[^\s:/]+:\S+)$`)

	// httpsWithUserInfo matches an https:// URL with a user name or token
	// before the host.
	httpsWithUserInfo = regexp.MustCompile(`^https://[^/]*@`)
)

// Config configures the GitOps delivery of one region's applications.
type Config struct {
	// RepoURL is the Git repository of the applications, for example
	// "https://github.com/honeyhive/platform-apps.git" (required). It must
	// be an https:// or SSH URL.
	RepoURL string

	// Revision is the branch, tag or commit Argo CD follows, for example
	// "main" (required).
	Revision string

	// Path is the folder of this region's applications inside the
	// repository, for example "environments/prod/us-west-2" (required).
	// Each folder directly below it is one application, and its name is the
	// Application's name and namespace, so it must be a DNS label.
	Path string

	// Name is the name of the AppProject and of the ApplicationSet, for
	// example "prod-usw2" (required, a DNS label of at most 46 characters,
	// so that the Helm release name stays within 53).
	Name string

	// Namespace is Argo CD's namespace, which holds the AppProject and the
	// ApplicationSet. Applications may not deploy to it.
	// Default: DefaultNamespace.
	Namespace string

	// AllowedNamespaces are the only namespaces the applications may deploy
	// to, usually the tenants' namespaces (required, at least one). The
	// tenancy package creates them, so Argo CD never creates a namespace,
	// and an application whose folder is not named after one of them fails
	// to sync. None may be Namespace or one of the platform's namespaces
	// (kube-system, kube-public, kube-node-lease, default, argocd,
	// cert-manager, external-dns, external-secrets and monitoring).
	AllowedNamespaces []string

	// HelmProvider installs the release that carries the manifests. Nil
	// uses the stack's default Helm provider.
	HelmProvider cdktf.TerraformProvider

	// DependsOn orders the release after these resources, usually the Argo
	// CD release, which installs the AppProject and ApplicationSet CRDs.
	DependsOn []cdktf.ITerraformDependable
}

// withDefaults returns a copy of c with an empty Namespace set to
// DefaultNamespace.
func (c Config) withDefaults() Config {
	if c.Namespace == "" {
		c.Namespace = DefaultNamespace
	}
	return c
}

// Validate returns every problem with c, joined, or nil.
func (c Config) Validate() error {
	var errs []error

	switch {
	case c.RepoURL == "":
		errs = append(errs, errors.New(`gitops: Config.RepoURL is empty; set the applications' Git repository, for example "https://github.com/honeyhive/platform-apps.git"`))
	case httpsWithUserInfo.MatchString(c.RepoURL):
		errs = append(errs, errors.New("gitops: Config.RepoURL contains credentials before the host; remove them from the URL and store them in an Argo CD repository secret"))
	case !gitRepoURL.MatchString(c.RepoURL):
		errs = append(errs, fmt.Errorf(`gitops: Config.RepoURL: %q is not an https:// or SSH Git URL; use one such as "https://github.com/honeyhive/platform-apps.git" or "git@github.com:honeyhive/platform-apps.git"`, c.RepoURL))
	}

	switch {
	case c.Revision == "":
		errs = append(errs, errors.New(`gitops: Config.Revision is empty; set the branch, tag or commit Argo CD follows, for example "main"`))
	case strings.ContainsAny(c.Revision, " \t\n") || strings.Contains(c.Revision, ".."):
		errs = append(errs, fmt.Errorf(`gitops: Config.Revision: %q is not a Git revision; use a branch, tag or commit such as "main"`, c.Revision))
	}

	if err := validatePath(c.Path); err != nil {
		errs = append(errs, err)
	}

	switch {
	case c.Name == "":
		errs = append(errs, errors.New(`gitops: Config.Name is empty; set the project name, for example "prod-usw2"`))
	case !dnsLabel.MatchString(c.Name):
		errs = append(errs, fmt.Errorf(`gitops: Config.Name: %q is invalid; use lowercase letters, digits and hyphens, for example "prod-usw2"`, c.Name))
	case len(c.Name+releaseNameSuffix) > maxReleaseNameLength:
		errs = append(errs, fmt.Errorf("gitops: Config.Name: %q makes the Helm release name %q longer than %d characters; use a shorter name",
			c.Name, c.Name+releaseNameSuffix, maxReleaseNameLength))
	case c.Name == "default":
		errs = append(errs, errors.New(`gitops: Config.Name: "default" is Argo CD's built-in project; use the environment and region, for example "prod-usw2"`))
	}

	if !isNamespaceName(c.Namespace) {
		errs = append(errs, fmt.Errorf(`gitops: Config.Namespace: %q is not a namespace name; use Argo CD's namespace, usually %q`, c.Namespace, DefaultNamespace))
	}
	errs = append(errs, c.validateAllowedNamespaces()...)
	return errors.Join(errs...)
}

// validatePath checks that path is a clean relative folder. New appends
// "/*" to it, and the generator matches the result against the paths of the
// repository's folders, which are relative and clean.
func validatePath(path string) error {
	switch {
	case path == "":
		return errors.New(`gitops: Config.Path is empty; set the folder of the region's applications, for example "environments/prod/us-west-2"`)
	case strings.HasPrefix(path, "/"):
		return fmt.Errorf("gitops: Config.Path: %q is absolute; use a folder relative to the repository root, such as %q", path, strings.TrimLeft(path, "/"))
	case strings.ContainsAny(path, `*?[]\`):
		return fmt.Errorf("gitops: Config.Path: %q contains a wildcard or backslash; name one folder, because each folder below it is one application", path)
	}
	for _, segment := range strings.Split(path, "/") {
		if segment == "" || segment == "." || segment == ".." {
			return fmt.Errorf(`gitops: Config.Path: %q is not a clean relative path; remove empty, "." and ".." segments and any trailing slash`, path)
		}
	}
	return nil
}

// isNamespaceName reports whether name is a valid Kubernetes namespace
// name.
func isNamespaceName(name string) bool {
	return len(name) <= maxLabelLength && dnsLabel.MatchString(name)
}

// validateAllowedNamespaces returns the problems with AllowedNamespaces.
func (c Config) validateAllowedNamespaces() []error {
	if len(c.AllowedNamespaces) == 0 {
		return []error{errors.New("gitops: Config.AllowedNamespaces is empty; list the tenants' namespaces, where the applications deploy to")}
	}

	var errs []error
	seen := map[string]int{}
	for i, ns := range c.AllowedNamespaces {
		field := fmt.Sprintf("Config.AllowedNamespaces[%d]", i)
		switch {
		case !isNamespaceName(ns):
			errs = append(errs, fmt.Errorf("gitops: %s: %q is not a namespace name; use 1 to 63 lowercase letters, digits and hyphens", field, ns))
		case ns == c.Namespace:
			errs = append(errs, fmt.Errorf("gitops: %s: %q is Argo CD's namespace; remove it, because an application there could change Argo CD's projects", field, ns))
		case slices.Contains(platformNamespaces, ns):
			errs = append(errs, fmt.Errorf("gitops: %s: %q is a platform namespace; list only tenant namespaces, not %s", field, ns, strings.Join(platformNamespaces, ", ")))
		}

		if j, dup := seen[ns]; dup {
			errs = append(errs, fmt.Errorf("gitops: %s: %q is already listed as AllowedNamespaces[%d]; list each namespace once", field, ns, j))
		} else {
			seen[ns] = i
		}
	}
	return errs
}
