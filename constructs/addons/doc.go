// Package addons installs the Helm-managed cluster add-ons of the hosting
// layer: the AWS Load Balancer Controller, ExternalDNS, cert-manager,
// External Secrets Operator, metrics-server and Argo CD.
//
// Each add-on is one constructor that takes a ClusterInfo and returns an
// Addon. The chart is pinned to an exact version in a named constant, and its
// values are typed Go structs. An add-on that calls AWS gets its own IAM role
// through EKS Pod Identity, with an inline policy scoped to the resources it
// manages. Its release depends on the Pod Identity association, because EKS
// injects credentials only into pods created after the association exists.
//
// Every add-on tolerates the CriticalAddonsOnly taint of the system node
// group. During the first deploy the system nodes are the only nodes in the
// cluster: Karpenter provisions the rest only after its node pools exist.
// Without the toleration the pods would stay Pending and the Helm release,
// which waits for its pods, would time out. The toleration allows the system
// nodes without requiring them, so the pods may also run on Karpenter nodes.
package addons
