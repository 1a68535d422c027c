package ingress

// The types below are the parts of the Kubernetes objects this package
// creates, with the field names of the networking.k8s.io/v1 IngressClass
// and of the elbv2.k8s.aws/v1beta1 IngressClassParams CRD that the AWS Load
// Balancer Controller v2.14 installs. The controller does not reject
// unknown IngressClassParams fields, so a misspelt field would be ignored
// silently. The tests therefore check the field names.

// objectMeta is the metadata of a cluster-scoped object.
type objectMeta struct {
	Name string `json:"name"`
}

// ingressClassParams configures every load balancer of the IngressClasses
// that reference it. A field set here overrides the matching Ingress
// annotation.
type ingressClassParams struct {
	APIVersion string                 `json:"apiVersion"`
	Kind       string                 `json:"kind"`
	Metadata   objectMeta             `json:"metadata"`
	Spec       ingressClassParamsSpec `json:"spec"`
}

type ingressClassParamsSpec struct {
	// NamespaceSelector limits the class to Ingresses in the namespaces it
	// selects. Absent or empty, it selects every namespace.
	NamespaceSelector labelSelector `json:"namespaceSelector"`

	// Scheme is "internet-facing" or "internal".
	Scheme string `json:"scheme"`

	// Group puts every Ingress of the class into one IngressGroup, which
	// the controller serves with a single load balancer.
	Group ingressGroup `json:"group"`

	// SSLPolicy is the security policy of the HTTPS listeners.
	SSLPolicy string `json:"sslPolicy"`

	// CertificateARNs are the listener certificates. The CRD field is a
	// list named certificateArn.
	CertificateARNs []string `json:"certificateArn"`

	// IPAddressType is "ipv4" or "dualstack".
	IPAddressType string `json:"ipAddressType"`

	LoadBalancerAttributes []attribute `json:"loadBalancerAttributes"`
	Tags                   []tag       `json:"tags,omitempty"`
}

// labelSelector is a Kubernetes label selector. This package uses
// matchExpressions only.
type labelSelector struct {
	MatchExpressions []labelSelectorRequirement `json:"matchExpressions"`
}

// labelSelectorRequirement matches objects by one label key. This package
// uses the Exists operator only, which takes no values and matches any
// value of Key.
type labelSelectorRequirement struct {
	Key      string `json:"key"`
	Operator string `json:"operator"`
}

type ingressGroup struct {
	Name string `json:"name"`
}

// attribute is a load balancer attribute. Values are strings even for
// booleans and numbers.
type attribute struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// ingressClass is a networking.k8s.io/v1 IngressClass.
type ingressClass struct {
	APIVersion string           `json:"apiVersion"`
	Kind       string           `json:"kind"`
	Metadata   objectMeta       `json:"metadata"`
	Spec       ingressClassSpec `json:"spec"`
}

type ingressClassSpec struct {
	Controller string                 `json:"controller"`
	Parameters ingressClassParameters `json:"parameters"`
}

// ingressClassParameters references the cluster-scoped IngressClassParams
// object of the class.
type ingressClassParameters struct {
	APIGroup string `json:"apiGroup"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
}
