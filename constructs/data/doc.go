// Package data creates the platform's regional data stores: S3 data buckets
// (NewBucket) and an Aurora PostgreSQL cluster (NewDatabase). Both are
// encrypted with customer-managed KMS keys that come in as config, accept
// TLS connections only, and are protected from deletion by Terraform and by
// the service itself.
//
// # Buckets
//
// A data bucket is versioned and encrypted by default with SSE-KMS and an S3
// Bucket Key. It is private, with all four public access block settings on
// and ACLs disabled. Its bucket policy only denies: it rejects requests
// without TLS and uploads that ask for an encryption other than SSE-KMS.
// Lifecycle rules move current objects to S3 Intelligent-Tiering, expire old
// versions and abandoned multipart uploads, and remove delete markers that
// no longer hide anything.
//
// A bucket may replicate to a bucket in the disaster-recovery region, and S3
// encrypts each replica there with that region's data key. Replication is
// off unless configured, so data that must stay in its jurisdiction (EU
// data, for example) is never copied out of it.
//
// # Database
//
// The database is Aurora PostgreSQL rather than RDS for PostgreSQL with a
// Multi-AZ standby, for four reasons:
//
//   - Storage: Aurora keeps six copies of the data across three
//     availability zones in a shared storage volume, and keeps writing with
//     two copies lost. A Multi-AZ instance keeps two EBS volumes in two
//     zones.
//   - Failover: Aurora promotes a reader, which already serves reads from
//     the same volume, usually in about 30 seconds. A Multi-AZ standby
//     serves no reads and takes one to two minutes to take over.
//   - Backups: Aurora backs up continuously to S3 without a backup I/O pause
//     and restores to any second in the retention window (point-in-time
//     recovery, up to 35 days).
//   - Credentials: RDS generates the administrator's password, keeps it in
//     Secrets Manager and rotates it, so no password passes through
//     Terraform state. Applications use IAM database authentication.
//
// The cluster admits PostgreSQL connections only from the security groups
// it is given, forces TLS through its parameter group, and exports the
// PostgreSQL log to an encrypted log group created beforehand.
package data
