// Package tenancy gives each tenant of a cluster (a team or a customer) its
// own namespace, confined by a quota, container defaults, network policies
// and the restricted Pod Security Standard, and editable by one Kubernetes
// group.
//
// New writes the objects as typed Go structs and delivers them through
// helmrelease.NewManifests, in a single release named "tenants" in
// kube-system. The release holds one ClusterRole, TenantRoleName, that
// lists what an application team may manage in its namespace. Per tenant it
// creates:
//
//   - a Namespace labelled with TenantLabel that enforces, audits and warns
//     about the restricted Pod Security Standard;
//   - a ResourceQuota capping requests and limits of CPU and memory, the
//     number of pods, the storage and number of PersistentVolumeClaims,
//     and allowing no Services of type LoadBalancer or NodePort;
//   - a LimitRange with container default requests of 100m CPU and 128Mi
//     memory, default limits of 500m and 512Mi, and a maximum per container
//     equal to the quota;
//   - network policies that deny all ingress and egress and then allow DNS,
//     traffic within the namespace, scrapes from the monitoring namespace
//     and, when LoadBalancerSourceCIDRs is set, ingress from the load
//     balancers' subnets. Pods may also send HTTPS
//     to any address outside the link-local range, HTTP to the EKS Pod
//     Identity agent, OTLP to the telemetry namespace and, when
//     DatabaseCIDRs is set, PostgreSQL traffic to the database subnets;
//   - when Settings is set, the "platform" ConfigMap with those settings;
//   - a RoleBinding "<name>-tenant" of the tenant's group to TenantRoleName;
//   - for a tenant with a RoleARN, an EKS access entry of type STANDARD that
//     puts the role's sessions in the tenant's group.
//
// Helm keeps the objects when a tenant leaves the configuration, so that a
// rename or removal never deletes a namespace with its workloads and
// volumes. Retiring a tenant means deleting its namespace by hand.
//
// What a tenant cannot change: TenantRoleName grants nothing on namespaces,
// NetworkPolicies, ResourceQuotas, LimitRanges or RBAC objects, so the Pod
// Security labels, the network policies, the quota, the container limits
// and the binding stay as configured.
//
// NOTE: the role allows Ingresses, and the AWS Load Balancer Controller
// acts on every Ingress of a class it serves, despite the zero quota on
// LoadBalancer Services. A tenant can thus get a load balancer of its own
// from another class, or add rules for any hostname to the IngressGroup of
// the shared public load balancer and so take traffic meant for another
// tenant. Limiting classes and hostnames per tenant needs an admission
// policy.
package tenancy
