package tenancy

import "slices"

// TenantRoleName is the ClusterRole that every tenant's group is bound to,
// within the tenant's namespace only.
const TenantRoleName = "honeyhive-tenant"

// rbacGroup is the API group of the RBAC objects.
const rbacGroup = "rbac.authorization.k8s.io"

// Verbs that tenantRole grants. Every verb is spelled out, so that a verb a
// later Kubernetes version adds is never granted by accident.
var (
	readVerbs  = []string{"get", "list", "watch"}
	writeVerbs = []string{"create", "update", "patch", "delete", "deletecollection"}
	allVerbs   = slices.Concat(readVerbs, writeVerbs)

	// scaleVerbs are the verbs kubectl scale needs on a scale subresource.
	scaleVerbs = []string{"get", "update", "patch"}

	// streamVerbs open an exec or port-forward stream. Clients that connect
	// over WebSocket send a GET, which the API server authorizes as "get",
	// and SPDY clients send a POST, authorized as "create".
	streamVerbs = []string{"get", "create"}
)

// tenantRole returns the ClusterRole that tenants are bound to. It lists
// the resources an application team runs in its own namespace, and the
// RoleBinding limits it to that namespace.
//
// Left out on purpose:
//
//   - networkpolicies, resourcequotas and limitranges, so that members can
//     neither widen the network policies nor lift the quota and container
//     limits, not even read them;
//   - roles and rolebindings, so that members cannot grant themselves or
//     others more rights;
//   - daemonsets, because a DaemonSet puts a pod on every node, beside
//     other tenants' pods, and Karpenter reserves room for it on every node
//     it launches, so one tenant's object would size the whole cluster;
//   - serviceaccounts/token and the impersonate verb, so that members act
//     only as themselves;
//   - SecretStores and ClusterSecretStores, because a store without an auth
//     block uses the External Secrets controller's own AWS identity.
//
// ExternalSecrets are allowed, but they fetch nothing until the namespace
// has a SecretStore or the cluster a ClusterSecretStore, and this package
// creates neither.
func tenantRole() clusterRole {
	return clusterRole{
		APIVersion: rbacGroup + "/v1",
		Kind:       "ClusterRole",
		Metadata:   objectMeta{Name: TenantRoleName, Annotations: keepPolicy},
		Rules: []policyRule{
			{
				APIGroups: []string{""},
				Resources: []string{"pods", "services", "configmaps", "secrets", "serviceaccounts", "persistentvolumeclaims"},
				Verbs:     allVerbs,
			},
			{
				APIGroups: []string{""},
				Resources: []string{"pods/log", "endpoints", "events"},
				Verbs:     readVerbs,
			},
			{
				APIGroups: []string{""},
				Resources: []string{"pods/exec", "pods/portforward"},
				Verbs:     streamVerbs,
			},
			{
				APIGroups: []string{"apps"},
				Resources: []string{"deployments", "statefulsets", "replicasets"},
				Verbs:     allVerbs,
			},
			{
				APIGroups: []string{"apps"},
				Resources: []string{"deployments/scale", "statefulsets/scale", "replicasets/scale"},
				Verbs:     scaleVerbs,
			},
			{
				APIGroups: []string{"batch"},
				Resources: []string{"jobs", "cronjobs"},
				Verbs:     allVerbs,
			},
			{
				APIGroups: []string{"autoscaling"},
				Resources: []string{"horizontalpodautoscalers"},
				Verbs:     allVerbs,
			},
			{
				APIGroups: []string{"policy"},
				Resources: []string{"poddisruptionbudgets"},
				Verbs:     allVerbs,
			},
			{
				APIGroups: []string{"networking.k8s.io"},
				Resources: []string{"ingresses"},
				Verbs:     allVerbs,
			},
			{
				APIGroups: []string{"external-secrets.io"},
				Resources: []string{"externalsecrets"},
				Verbs:     allVerbs,
			},
		},
	}
}

// roleBindingOf returns the binding of the tenant's group to tenantRole,
// within the tenant's namespace only.
func roleBindingOf(t Tenant) roleBinding {
	return roleBinding{
		APIVersion: rbacGroup + "/v1",
		Kind:       "RoleBinding",
		Metadata:   metadata(t, t.Name+"-tenant"),
		Subjects:   []subject{{Kind: "Group", APIGroup: rbacGroup, Name: t.Group}},
		RoleRef:    roleRef{APIGroup: rbacGroup, Kind: "ClusterRole", Name: TenantRoleName},
	}
}
