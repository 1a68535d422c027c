// Package backup creates AWS Backup vaults and a daily backup plan that backs
// up every resource carrying a selection tag.
//
// A Vault is encrypted with a customer-managed KMS key, cannot be deleted by
// Terraform while it contains recovery points, and can carry a Vault Lock in
// governance mode. A Plan owns the IAM role AWS Backup assumes, one daily rule
// with continuous backup for the resource types that support it, an optional
// copy to a vault in another region, and a selection by tag.
package backup
