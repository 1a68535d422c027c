// Package endpoints creates the VPC endpoints that let private subnets reach
// AWS APIs without going through the NAT gateways: an interface endpoint per
// API the cluster and its workloads call, and free gateway endpoints for S3
// and DynamoDB.
package endpoints
