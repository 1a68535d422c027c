// Package network builds the VPC of the substrate layer: subnets in four
// tiers, NAT gateways, route tables, a locked-down default security group and
// VPC flow logs delivered to an encrypted CloudWatch Logs group.
//
// Public subnets contain the NAT gateways and internet-facing load
// balancers. Private subnets contain the EKS nodes and pods, and get most of
// the range because the VPC CNI gives every pod a VPC address. Intra subnets
// have no route out of the VPC and suit interface endpoints and internal-only
// workloads. Database subnets have no route out of the VPC either and back
// the RDS and ElastiCache subnet groups. PlanSubnets fixes the address
// layout.
//
// NewExistingVPC adopts a VPC someone else owns, such as a customer's. It
// tags the given subnets for EKS, load balancer and Karpenter discovery and
// adds a database subnet group and flow logs. The VPC's routes, ACLs and
// security groups stay as they are.
package network
