// Package kms creates customer-managed KMS keys, one per purpose (logs,
// cluster secrets, data stores, Secrets Manager, Terraform state), each with
// a least-privilege key policy, automatic rotation and an alias.
//
// A key policy here never allows kms:* and never names a "*" principal. Its
// statements:
//
//   - Administration: the account root and the admin roles may manage the key
//     (describe, enable, disable, tag, schedule deletion, change the policy).
//     This statement allows no use actions such as Encrypt or Decrypt, but
//     kms:PutKeyPolicy lets an administrator rewrite the policy and grant
//     itself any of them, so the admin roles must be trusted like the key's
//     users. Terraform needs that action to manage the key policy. Naming
//     the root keeps the key manageable if every admin role is deleted.
//   - Use through services: the account root, so that IAM policies in this
//     account decide who uses the key, but only for calls that the purpose's
//     AWS services make on the caller's behalf (kms:ViaService) from this
//     account (kms:CallerAccount).
//   - Grants: for services that persist access through grants (EKS, EBS, RDS,
//     DynamoDB, AWS Backup, Secrets Manager), kms:CreateGrant when the grant
//     is for an AWS resource, through the same services.
//   - CloudWatch Logs: for the logs purpose, the regional CloudWatch Logs
//     service principal, limited by encryption context to log groups of this
//     account and region.
package kms
