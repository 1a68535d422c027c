package monitoring

import (
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

const (
	// baseReleaseName is the release of the namespace and the objects the
	// chart releases need before they install.
	baseReleaseName = "monitoring-base"

	// baseReleaseNamespace contains the base release's record. It must exist
	// before the release installs, which the monitoring namespace does not.
	baseReleaseNamespace = "kube-system"
)

// namespaceManifest is a Kubernetes Namespace.
type namespaceManifest struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   objectMeta `json:"metadata"`
}

// newNamespace returns the monitoring namespace. Pod Security Admission
// enforces the privileged level in it, because Fluent Bit and the node
// exporter mount host paths and the node exporter uses the host network
// and process namespaces, which the baseline level rejects. Helm keeps the
// namespace when the release is uninstalled or renamed, because deleting it
// would delete the Prometheus and Alertmanager volumes' claims with it.
func newNamespace() namespaceManifest {
	return namespaceManifest{
		APIVersion: "v1",
		Kind:       "Namespace",
		Metadata: objectMeta{
			Name:        Namespace,
			Labels:      map[string]string{"pod-security.kubernetes.io/enforce": "privileged"},
			Annotations: map[string]string{"helm.sh/resource-policy": "keep"},
		},
	}
}

// newBaseRelease applies the monitoring namespace and the Grafana
// administrator's SecretStore and ExternalSecret in one release, after the
// secret has a value.
//
// The release owns the namespace, so its record lives in kube-system. Helm
// writes the record before it creates anything, so the record's namespace
// must already exist. Helm creates Namespaces before other kinds, so the
// SecretStore and ExternalSecret find theirs. The chart releases depend on
// this one, which keeps the namespace until they are gone on destroy.
func newBaseRelease(scope constructs.Construct, cfg Config, admin grafanaAdmin) release.Release {
	manifests := append([]any{newNamespace()}, grafanaAdminManifests(cfg, admin.name)...)
	return helmrelease.NewManifests(scope, "base", helmrelease.ManifestsConfig{
		Name:      baseReleaseName,
		Namespace: baseReleaseNamespace,
		Manifests: manifests,
		Provider:  cfg.Cluster.HelmProvider,
		DependsOn: dependencies(cfg, admin.version),
	})
}

// dependencies returns the cluster's dependencies followed by extra, in a
// new slice, so that no two releases share a backing array.
func dependencies(cfg Config, extra ...cdktf.ITerraformDependable) []cdktf.ITerraformDependable {
	deps := make([]cdktf.ITerraformDependable, 0, len(cfg.Cluster.DependsOn)+len(extra))
	deps = append(deps, cfg.Cluster.DependsOn...)
	return append(deps, extra...)
}
