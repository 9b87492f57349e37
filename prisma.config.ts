import { defineConfig } from "prisma/config";

// Prisma 7 reads the connection from here for CLI commands (`prisma migrate deploy` on a
// connected machine). The app itself builds its client in lib/db/client.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/stowaway" },
});
