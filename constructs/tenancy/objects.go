package tenancy

// The types below are the parts of the Kubernetes API objects this package
// writes, with the field names of the v1 APIs. Quantities are strings in
// Kubernetes quantity notation, such as "500m" or "16Gi".

// objectMeta is the metadata of an object. Namespace is empty for
// cluster-scoped objects.
type objectMeta struct {
	Name        string            `json:"name"`
	Namespace   string            `json:"namespace,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// namespaceObject is a core/v1 Namespace.
type namespaceObject struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   objectMeta `json:"metadata"`
}

// resourceQuota is a core/v1 ResourceQuota.
type resourceQuota struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   objectMeta        `json:"metadata"`
	Spec       resourceQuotaSpec `json:"spec"`
}

type resourceQuotaSpec struct {
	Hard map[string]string `json:"hard"`
}

// limitRange is a core/v1 LimitRange.
type limitRange struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   objectMeta     `json:"metadata"`
	Spec       limitRangeSpec `json:"spec"`
}

type limitRangeSpec struct {
	Limits []limitRangeItem `json:"limits"`
}

// limitRangeItem constrains one kind of object. Default is the limit and
// DefaultRequest the request a container gets when it sets none.
type limitRangeItem struct {
	Type           string            `json:"type"`
	Default        map[string]string `json:"default,omitempty"`
	DefaultRequest map[string]string `json:"defaultRequest,omitempty"`
	Max            map[string]string `json:"max,omitempty"`
}

// networkPolicy is a networking.k8s.io/v1 NetworkPolicy.
type networkPolicy struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   objectMeta        `json:"metadata"`
	Spec       networkPolicySpec `json:"spec"`
}

// networkPolicySpec selects pods and lists what they may accept and send.
// A policy type without rules denies that direction for the selected pods.
type networkPolicySpec struct {
	PodSelector labelSelector `json:"podSelector"`
	PolicyTypes []string      `json:"policyTypes"`
	Ingress     []ingressRule `json:"ingress,omitempty"`
	Egress      []egressRule  `json:"egress,omitempty"`
}

// labelSelector selects by labels. The zero value, written as {}, selects
// everything in its scope.
type labelSelector struct {
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

// ingressRule allows traffic from any of From to any of Ports. This package
// never writes an empty From, which would allow every source.
type ingressRule struct {
	From  []networkPolicyPeer `json:"from"`
	Ports []networkPolicyPort `json:"ports,omitempty"`
}

// egressRule allows traffic to any of To on any of Ports. This package never
// writes an empty To, which would allow every destination.
type egressRule struct {
	To    []networkPolicyPeer `json:"to"`
	Ports []networkPolicyPort `json:"ports,omitempty"`
}

// networkPolicyPeer is one source or destination. Within a peer the
// selectors are combined: a peer with both NamespaceSelector and PodSelector
// matches the selected pods in the selected namespaces only.
type networkPolicyPeer struct {
	NamespaceSelector *labelSelector `json:"namespaceSelector,omitempty"`
	PodSelector       *labelSelector `json:"podSelector,omitempty"`
	IPBlock           *ipBlock       `json:"ipBlock,omitempty"`
}

type ipBlock struct {
	CIDR   string   `json:"cidr"`
	Except []string `json:"except,omitempty"`
}

type networkPolicyPort struct {
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
}

// roleBinding is an rbac.authorization.k8s.io/v1 RoleBinding.
type roleBinding struct {
	APIVersion string     `json:"apiVersion"`
	Kind       string     `json:"kind"`
	Metadata   objectMeta `json:"metadata"`
	Subjects   []subject  `json:"subjects"`
	RoleRef    roleRef    `json:"roleRef"`
}

type subject struct {
	Kind     string `json:"kind"`
	APIGroup string `json:"apiGroup"`
	Name     string `json:"name"`
}

type roleRef struct {
	APIGroup string `json:"apiGroup"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
}

// clusterRole is an rbac.authorization.k8s.io/v1 ClusterRole.
type clusterRole struct {
	APIVersion string       `json:"apiVersion"`
	Kind       string       `json:"kind"`
	Metadata   objectMeta   `json:"metadata"`
	Rules      []policyRule `json:"rules"`
}

// policyRule allows Verbs on Resources of APIGroups. The core API group is
// the empty string.
type policyRule struct {
	APIGroups []string `json:"apiGroups"`
	Resources []string `json:"resources"`
	Verbs     []string `json:"verbs"`
}

// configMap is a core/v1 ConfigMap.
type configMap struct {
	APIVersion string            `json:"apiVersion"`
	Kind       string            `json:"kind"`
	Metadata   objectMeta        `json:"metadata"`
	Data       map[string]string `json:"data"`
}
