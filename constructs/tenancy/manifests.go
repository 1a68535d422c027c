package tenancy

import "fmt"

// TenantLabel is the label every object of a tenant carries, with the
// tenant's name as its value.
const TenantLabel = "platform.honeyhive.ai/tenant"

// podSecurityLevel is the Pod Security Standard the tenants' namespaces
// enforce, audit and warn about. Without a version label, the admission
// controller applies the level as defined by the cluster's Kubernetes
// version.
const podSecurityLevel = "restricted"

// Container defaults that the LimitRange applies to containers that set no
// requests or limits. They matter because the quota covers limits.cpu and
// limits.memory, and the API server rejects a pod without limits in a
// namespace with such a quota. The limits are at most 1 core and 1 GiB, the
// smallest quota Validate allows, so they never exceed the LimitRange's
// maximum.
const (
	defaultRequestCPU    = "100m"
	defaultRequestMemory = "128Mi"
	defaultLimitCPU      = "500m"
	defaultLimitMemory   = "512Mi"
)

// Objects outside the tenant namespace that the network policies refer to.
const (
	dnsNamespace = "kube-system"

	// dnsPodLabel is the label of the CoreDNS pods of the EKS add-on.
	dnsPodLabel = "k8s-app"
	dnsPodValue = "kube-dns"

	// namespaceNameLabel is the label Kubernetes sets on every namespace,
	// with the namespace's name as its value.
	namespaceNameLabel = "kubernetes.io/metadata.name"
)

// linkLocalRange is the IPv4 link-local range, which contains the instance
// metadata service (169.254.169.254) and the EKS Pod Identity agent. HTTPS
// egress excludes the whole range, so that no policy lets a pod reach the
// metadata service and with it the node's IAM role.
const linkLocalRange = "169.254.0.0/16"

// The EKS Pod Identity agent runs on every node with the host's network and
// serves pods their AWS credentials over plain HTTP at this address. The
// agent also listens on [fd00:ec2::23], which IPv4 clusters do not use.
const (
	podIdentityAgentCIDR = "169.254.170.23/32"
	podIdentityAgentPort = 80
)

// Ports that the allow-telemetry and allow-database policies open.
const (
	// otlpGRPCPort and otlpHTTPPort are the OTLP receiver ports of the
	// OpenTelemetry collector, for gRPC and for HTTP.
	otlpGRPCPort = 4317
	otlpHTTPPort = 4318

	// postgresPort is the PostgreSQL port the database listens on.
	postgresPort = 5432
)

// maxPersistentVolumeClaims caps the number of PersistentVolumeClaims per
// tenant. The storage quota alone would allow StorageGiB volumes of 1Gi
// each, and every EBS volume takes one of the limited attachment slots of
// the node its pod runs on.
const maxPersistentVolumeClaims = 20

// keepPolicy is the Helm annotation that stops Helm from deleting an object
// when it disappears from the release or the release is uninstalled.
var keepPolicy = map[string]string{"helm.sh/resource-policy": "keep"}

// tenantObjects returns the Kubernetes objects of tenant t: its namespace,
// quota, limit range, network policies and role binding.
//
// Every object carries the keep annotation, so that removing a tenant from
// the configuration, or renaming it, never deletes a namespace with its
// workloads and volumes. The namespace keeps its quota and network policies
// until someone deletes it on purpose.
func tenantObjects(t Tenant, cfg Config) []any {
	objects := []any{
		namespaceOf(t),
		quotaOf(t),
		limitRangeOf(t),
	}
	for _, p := range networkPoliciesOf(t, cfg) {
		objects = append(objects, p)
	}
	if len(cfg.Settings) > 0 {
		objects = append(objects, configMap{
			APIVersion: "v1",
			Kind:       "ConfigMap",
			Metadata:   metadata(t, SettingsConfigMap),
			Data:       cfg.Settings,
		})
	}
	return append(objects, roleBindingOf(t))
}

// metadata returns the metadata of the tenant's object called name.
func metadata(t Tenant, name string) objectMeta {
	return objectMeta{
		Name:        name,
		Namespace:   t.Name,
		Labels:      map[string]string{TenantLabel: t.Name},
		Annotations: keepPolicy,
	}
}

// namespaceOf returns the tenant's namespace, which enforces the
// restricted Pod Security Standard: pods run as non-root, drop all
// capabilities (adding back only NET_BIND_SERVICE), and cannot use host
// namespaces, hostPath volumes or privilege escalation.
func namespaceOf(t Tenant) namespaceObject {
	meta := metadata(t, t.Name)
	meta.Namespace = ""
	meta.Labels = map[string]string{
		TenantLabel:                          t.Name,
		"pod-security.kubernetes.io/enforce": podSecurityLevel,
		"pod-security.kubernetes.io/audit":   podSecurityLevel,
		"pod-security.kubernetes.io/warn":    podSecurityLevel,
	}
	return namespaceObject{APIVersion: "v1", Kind: "Namespace", Metadata: meta}
}

// quotaOf returns the tenant's ResourceQuota. Requests and limits share
// one cap each for CPU and memory. The storage requested by all
// PersistentVolumeClaims together, whatever their StorageClass, is capped
// at StorageGiB. Services of type LoadBalancer and NodePort are capped at
// zero, so a tenant cannot open an entry point of its own from a Service.
func quotaOf(t Tenant) resourceQuota {
	return resourceQuota{
		APIVersion: "v1",
		Kind:       "ResourceQuota",
		Metadata:   metadata(t, "tenant-quota"),
		Spec: resourceQuotaSpec{Hard: map[string]string{
			"requests.cpu":           cores(t.CPU),
			"limits.cpu":             cores(t.CPU),
			"requests.memory":        gibibytes(t.MemoryGiB),
			"limits.memory":          gibibytes(t.MemoryGiB),
			"pods":                   fmt.Sprint(t.Pods),
			"requests.storage":       gibibytes(t.StorageGiB),
			"persistentvolumeclaims": fmt.Sprint(maxPersistentVolumeClaims),
			"services.loadbalancers": "0",
			"services.nodeports":     "0",
		}},
	}
}

// limitRangeOf returns the tenant's LimitRange: default requests and limits
// for containers that set none, and a maximum per container equal to the
// namespace's quota, so that a single container that could never be
// admitted fails with a clear message.
func limitRangeOf(t Tenant) limitRange {
	return limitRange{
		APIVersion: "v1",
		Kind:       "LimitRange",
		Metadata:   metadata(t, "tenant-limits"),
		Spec: limitRangeSpec{Limits: []limitRangeItem{{
			Type:           "Container",
			DefaultRequest: map[string]string{"cpu": defaultRequestCPU, "memory": defaultRequestMemory},
			Default:        map[string]string{"cpu": defaultLimitCPU, "memory": defaultLimitMemory},
			Max:            map[string]string{"cpu": cores(t.CPU), "memory": gibibytes(t.MemoryGiB)},
		}}},
	}
}

// networkPoliciesOf returns the tenant's network policies. default-deny
// selects every pod for both directions and allows nothing, so a pod
// accepts and sends only what one of the other policies allows:
//
//   - allow-dns: DNS queries to CoreDNS in kube-system, over UDP and TCP.
//   - allow-same-namespace: any traffic between pods of the namespace.
//   - allow-monitoring: ingress from the monitoring namespace, for scrapes.
//   - allow-load-balancer: ingress from the public subnets, where ALBs send
//     traffic to IP-mode targets from.
//   - allow-https-egress: TCP 443 to any address outside the link-local
//     range, so pods can call external APIs but not the instance metadata
//     service.
//   - allow-pod-identity: TCP 80 to the EKS Pod Identity agent on the
//     pod's node, so that AWS SDKs get the credentials of the pod's service
//     account.
//   - allow-telemetry: OTLP over TCP 4317 and 4318 to the pods of the
//     telemetry namespace, where the OpenTelemetry collector runs.
//   - allow-database: TCP 5432 to the database subnets, only when
//     DatabaseCIDRs is set.
//
// Every other source is denied, including the pods of other tenants and of
// the platform outside the monitoring namespace. The VPC CNI's network
// policy agent always allows traffic from the pod's own node, which is where
// kubelet probes come from.
//
// The policies take effect because the eks package sets enableNetworkPolicy
// in the vpc-cni add-on's configuration. On a cluster whose VPC CNI does not
// enforce network policies, they are stored but have no effect.
func networkPoliciesOf(t Tenant, cfg Config) []networkPolicy {
	everyPod := labelSelector{}
	sameNamespace := networkPolicyPeer{PodSelector: &labelSelector{}}
	dns := networkPolicyPeer{
		NamespaceSelector: &labelSelector{MatchLabels: map[string]string{namespaceNameLabel: dnsNamespace}},
		PodSelector:       &labelSelector{MatchLabels: map[string]string{dnsPodLabel: dnsPodValue}},
	}
	monitoring := networkPolicyPeer{
		NamespaceSelector: &labelSelector{MatchLabels: map[string]string{namespaceNameLabel: cfg.MonitoringNamespace}},
	}
	loadBalancers := make([]networkPolicyPeer, len(cfg.LoadBalancerSourceCIDRs))
	for i, cidr := range cfg.LoadBalancerSourceCIDRs {
		loadBalancers[i] = networkPolicyPeer{IPBlock: &ipBlock{CIDR: cidr}}
	}
	anywhereButLinkLocal := networkPolicyPeer{IPBlock: &ipBlock{CIDR: "0.0.0.0/0", Except: []string{linkLocalRange}}}
	podIdentityAgent := networkPolicyPeer{IPBlock: &ipBlock{CIDR: podIdentityAgentCIDR}}
	telemetry := networkPolicyPeer{
		NamespaceSelector: &labelSelector{MatchLabels: map[string]string{namespaceNameLabel: cfg.TelemetryNamespace}},
	}
	databases := make([]networkPolicyPeer, len(cfg.DatabaseCIDRs))
	for i, cidr := range cfg.DatabaseCIDRs {
		databases[i] = networkPolicyPeer{IPBlock: &ipBlock{CIDR: cidr}}
	}

	policy := func(name string, spec networkPolicySpec) networkPolicy {
		spec.PodSelector = everyPod
		return networkPolicy{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy", Metadata: metadata(t, name), Spec: spec}
	}
	policies := []networkPolicy{
		policy("default-deny", networkPolicySpec{PolicyTypes: []string{"Ingress", "Egress"}}),
		policy("allow-dns", networkPolicySpec{
			PolicyTypes: []string{"Egress"},
			Egress: []egressRule{{
				To:    []networkPolicyPeer{dns},
				Ports: []networkPolicyPort{{Protocol: "UDP", Port: 53}, {Protocol: "TCP", Port: 53}},
			}},
		}),
		policy("allow-same-namespace", networkPolicySpec{
			PolicyTypes: []string{"Ingress", "Egress"},
			Ingress:     []ingressRule{{From: []networkPolicyPeer{sameNamespace}}},
			Egress:      []egressRule{{To: []networkPolicyPeer{sameNamespace}}},
		}),
		policy("allow-monitoring", networkPolicySpec{
			PolicyTypes: []string{"Ingress"},
			Ingress:     []ingressRule{{From: []networkPolicyPeer{monitoring}}},
		}),
	}

	// A rule with an empty From or To would allow every source or
	// destination, so the load balancer and database policies exist only
	// with at least one range.
	if len(loadBalancers) > 0 {
		policies = append(policies, policy("allow-load-balancer", networkPolicySpec{
			PolicyTypes: []string{"Ingress"},
			Ingress:     []ingressRule{{From: loadBalancers}},
		}))
	}

	policies = append(policies,
		policy("allow-https-egress", networkPolicySpec{
			PolicyTypes: []string{"Egress"},
			Egress: []egressRule{{
				To:    []networkPolicyPeer{anywhereButLinkLocal},
				Ports: []networkPolicyPort{{Protocol: "TCP", Port: 443}},
			}},
		}),
		policy("allow-pod-identity", networkPolicySpec{
			PolicyTypes: []string{"Egress"},
			Egress: []egressRule{{
				To:    []networkPolicyPeer{podIdentityAgent},
				Ports: []networkPolicyPort{{Protocol: "TCP", Port: podIdentityAgentPort}},
			}},
		}),
		policy("allow-telemetry", networkPolicySpec{
			PolicyTypes: []string{"Egress"},
			Egress: []egressRule{{
				To:    []networkPolicyPeer{telemetry},
				Ports: []networkPolicyPort{{Protocol: "TCP", Port: otlpGRPCPort}, {Protocol: "TCP", Port: otlpHTTPPort}},
			}},
		}),
	)

	if len(databases) > 0 {
		policies = append(policies, policy("allow-database", networkPolicySpec{
			PolicyTypes: []string{"Egress"},
			Egress: []egressRule{{
				To:    databases,
				Ports: []networkPolicyPort{{Protocol: "TCP", Port: postgresPort}},
			}},
		}))
	}
	return policies
}

// cores returns n CPU cores as a Kubernetes quantity.
func cores(n int) string {
	return fmt.Sprint(n)
}

// gibibytes returns n GiB as a Kubernetes quantity.
func gibibytes(n int) string {
	return fmt.Sprintf("%dGi", n)
}
