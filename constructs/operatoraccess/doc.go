// Package operatoraccess creates the IAM role that HoneyHive's on-call
// operators assume to troubleshoot a data plane deployed in a customer's AWS
// account, and builds the trust policy of the customer's deploy role.
//
// Both trusts name one exact HoneyHive role as principal and require the
// external ID that the customer agreed to with StringEquals sts:ExternalId.
// The external ID keeps HoneyHive from being used as a confused deputy: a
// request made on behalf of another customer carries that customer's ID and
// does not match.
//
// IAM stores a role principal as the role's unique ID. If HoneyHive deletes
// and recreates the trusted role, the trust no longer matches the new role,
// and the customer must save the trust policy again.
//
// The operator role is read-mostly. It may describe the listed EKS clusters,
// read the listed CloudWatch Logs log groups, run Logs Insights queries on
// them and read CloudWatch metrics. It may not write, read secrets, decrypt
// with KMS or read S3 objects, so customer data stays in the customer's
// account. The role has no prevent_destroy lifecycle because deleting it is
// how the customer revokes operator access.
package operatoraccess
