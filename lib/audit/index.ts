export { recordAudit, listAudit, scrubDetails, type AuditEntry, type AuditRow, type DbTx } from "./audit";
