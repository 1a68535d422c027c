// Package eks creates the EKS cluster of the hosting layer. NewCluster
// creates the cluster with its IAM role, control-plane log group and access
// entries. NewNodeGroup creates managed node groups with hardened launch
// templates. NewAddons installs the EKS managed add-ons at pinned versions,
// with a Pod Identity role for the EBS CSI driver, and
// NewDefaultStorageClass creates the default encrypted gp3 StorageClass.
//
// Access to the Kubernetes API is granted only through EKS access entries,
// and pods get AWS credentials only through EKS Pod Identity. The API
// endpoint is private unless a configuration lists the public ranges allowed
// to reach it.
package eks
