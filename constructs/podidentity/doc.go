// Package podidentity creates IAM roles that Kubernetes service accounts
// assume through EKS Pod Identity, the mechanism every cluster component of
// the platform uses to call AWS.
package podidentity
