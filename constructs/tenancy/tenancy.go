package tenancy

import (
	"strings"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksaccessentry"
	"github.com/cdktf/cdktf-provider-helm-go/helm/v10/release"

	"github.com/honeyhive/platform/constructs/helmrelease"
)

// Name and namespace of the Helm release that carries every tenant's
// objects. The namespace holds only Helm's release records.
const (
	ReleaseName      = "tenants"
	ReleaseNamespace = "kube-system"
)

// Tenancy is the tenants' namespaces with their quotas, limit ranges,
// network policies and role bindings, the ClusterRole the bindings refer
// to, and the access entries of the tenants' IAM roles.
type Tenancy struct {
	constructs.Construct

	// Namespaces are the tenants' namespace names, in the order of
	// Config.Tenants.
	Namespaces []string

	// Release is the helm_release that creates the namespaces. Resources
	// that deploy into a tenant namespace depend on it.
	Release release.Release

	// AccessEntries are the access entries of the tenants that have a
	// RoleARN, by tenant name.
	AccessEntries map[string]eksaccessentry.EksAccessEntry
}

// New creates every tenant's namespace and the objects that confine it,
// together with the TenantRoleName ClusterRole, in one Helm release, and an
// EKS access entry for each tenant that has a RoleARN. It panics if cfg is
// invalid.
//
// One release carries all tenants so that a change to the tenants is
// applied atomically: Helm rolls the whole change back if any object fails,
// and a reviewer finds every tenant's objects in one place.
//
// An access entry maps the role's sessions to the tenant's group and has no
// access policy association, because the tenant's rights come from the
// RoleBinding in its namespace, not from EKS access policies.
func New(scope constructs.Construct, id string, cfg Config) *Tenancy {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		panic(err)
	}

	c := constructs.NewConstruct(scope, jsii.String(id))

	objects := []any{tenantRole()}
	namespaces := make([]string, len(cfg.Tenants))
	for i, t := range cfg.Tenants {
		objects = append(objects, tenantObjects(t, cfg)...)
		namespaces[i] = t.Name
	}

	r := helmrelease.NewManifests(c, "manifests", helmrelease.ManifestsConfig{
		Name:      ReleaseName,
		Namespace: ReleaseNamespace,
		Manifests: objects,
		Provider:  cfg.HelmProvider,
		DependsOn: cfg.DependsOn,
	})

	entries := map[string]eksaccessentry.EksAccessEntry{}
	for _, t := range cfg.Tenants {
		if t.RoleARN == "" {
			continue
		}
		entries[t.Name] = eksaccessentry.NewEksAccessEntry(c, jsii.String("access_entry_"+constructID(t.Name)), &eksaccessentry.EksAccessEntryConfig{
			ClusterName:      cfg.ClusterName,
			PrincipalArn:     jsii.String(t.RoleARN),
			Type:             jsii.String("STANDARD"),
			KubernetesGroups: jsii.Strings(t.Group),
		})
	}

	return &Tenancy{
		Construct:     c,
		Namespaces:    namespaces,
		Release:       r,
		AccessEntries: entries,
	}
}

// constructID returns a namespace name in the snake_case of construct IDs.
// Namespace names contain no underscores, so distinct names stay distinct.
func constructID(namespace string) string {
	return strings.ReplaceAll(namespace, "-", "_")
}
