// Package gitops hands a region's applications to Argo CD. It creates an
// AppProject that limits where they come from and where they go, and an
// ApplicationSet whose Git directory generator turns each folder below the
// region's path into one Application.
//
// An ApplicationSet is used rather than an app-of-apps Application, which
// would read Application manifests from a folder, for two reasons. Adding
// an application is adding a folder to the repository, with no Application
// manifest to write and no Terraform change. The ApplicationSet's single
// template also sets the project, the destination and the sync policy of
// every Application, so no application can choose a more permissive
// project or another cluster, which a hand-written Application in an
// app-of-apps folder could.
//
// Each folder's name is the Application's name and its namespace, so
// folder names must be DNS labels. Argo CD syncs automatically: it prunes
// resources removed from Git and reverts changes made in the cluster.
//
// Argo CD creates no namespaces. The project's destinations are exactly
// Config.AllowedNamespaces, the tenants' namespaces that the tenancy
// package creates with their quotas and network policies. An application
// whose folder is not named after one of them fails to sync, on purpose:
// it would otherwise escape the tenant's isolation. The project admits no
// cluster-scoped objects, and it denies the namespaced kinds that the
// tenancy package manages or that could widen a tenant's rights:
// NetworkPolicy, ResourceQuota, LimitRange, Role, RoleBinding,
// SecretStore and ClusterSecretStore.
//
// The ApplicationSet preserves an application's workloads when it deletes
// the Application, for example after its folder is removed or after the
// path changes. A mistaken path would otherwise delete every workload of
// the region, so removing an application's workloads is a separate,
// deliberate step.
package gitops
