// Package privatelink links the two sides of a hybrid SaaS deployment with
// AWS PrivateLink, so that neither side exposes a service publicly.
//
// The provider side runs NewService in its hosting layer: an internal
// Network Load Balancer with an IP target group and a VPC endpoint service
// in front of it. Its application layer runs NewTargetGroupBinding, through
// which the AWS Load Balancer Controller registers the pods of one
// Kubernetes Service in that target group. The consumer side, in another
// account, runs NewEndpoint: an interface VPC endpoint to the service and a
// private DNS name for it.
//
// The two sides are in different accounts. Every value that crosses from one
// side to the other, such as the endpoint service name or the role ARNs
// allowed to connect, is therefore a plain string or a Terraform token.
package privatelink
