"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ApiError } from "@/app/_lib/api-client";
import { orgKeys } from "@/app/_lib/query-keys";

interface Member {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: string;
  createdAt: string;
}
interface Invite {
  id: string;
  role: string;
  email: string | null;
  expiresAt: string;
  createdAt: string;
  state: string;
}

const ROLES = ["owner", "admin", "analyst", "viewer"];

export function MembersManager(props: {
  orgSlug: string;
  me: { userId: string; role: string };
  canManage: boolean;
  initialMembers: Member[];
  initialInvites: Invite[];
}) {
  const { orgSlug, me, canManage } = props;
  const qc = useQueryClient();
  const members = useQuery({
    queryKey: orgKeys.members(orgSlug),
    queryFn: () => api<{ members: Member[] }>(`/api/v1/orgs/${orgSlug}/members`).then((r) => r.members),
    initialData: props.initialMembers,
  });
  const invites = useQuery({
    queryKey: orgKeys.invites(orgSlug),
    queryFn: () => api<{ invites: Invite[] }>(`/api/v1/orgs/${orgSlug}/invites`).then((r) => r.invites),
    initialData: props.initialInvites,
  });
  const [actionError, setActionError] = useState<string | null>(null);
  const onError = (e: unknown) => setActionError(e instanceof ApiError ? e.message : "Could not save the change");
  const changeRole = useMutation({
    mutationFn: (v: { id: string; role: string }) => api(`/api/v1/orgs/${orgSlug}/members/${v.id}`, { method: "PATCH", body: { role: v.role } }),
    onSuccess: () => {
      setActionError(null);
      return qc.invalidateQueries({ queryKey: orgKeys.members(orgSlug) });
    },
    onError,
  });
  const removeM = useMutation({
    mutationFn: (id: string) => api(`/api/v1/orgs/${orgSlug}/members/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setActionError(null);
      return qc.invalidateQueries({ queryKey: orgKeys.members(orgSlug) });
    },
    onError,
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/api/v1/orgs/${orgSlug}/invites/${id}`, { method: "DELETE" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: orgKeys.invites(orgSlug) }),
    onError,
  });
  const assignable = me.role === "owner" ? ROLES : ROLES.filter((r) => r !== "owner");

  return (
    <div>
      {actionError && (
        <p className="alert error" role="alert">
          {actionError}
        </p>
      )}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Members</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                {canManage && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {members.data.map((m) => {
                const locked = m.role === "owner" && me.role !== "owner";
                return (
                  <tr key={m.id} data-member={m.email}>
                    <td>
                      {m.name ? `${m.name} · ` : ""}
                      {m.email} {m.userId === me.userId && <span className="badge">you</span>}
                    </td>
                    <td>
                      {canManage && !locked ? (
                        <select
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          disabled={changeRole.isPending}
                          onChange={(e) => changeRole.mutate({ id: m.id, role: e.target.value })}
                        >
                          {(assignable.includes(m.role) ? assignable : [m.role, ...assignable]).map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </select>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td>{new Date(m.createdAt).toLocaleDateString()}</td>
                    {canManage && (
                      <td>
                        {!locked && (
                          <button type="button" className="danger" disabled={removeM.isPending} onClick={() => removeM.mutate(m.id)}>
                            {m.userId === me.userId ? "Leave" : "Remove"}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      {canManage && <InviteForm orgSlug={orgSlug} roles={assignable} />}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Invites</h2>
        {invites.data.length === 0 ? (
          <p className="muted">No invites yet.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">For</th>
                  <th scope="col">Role</th>
                  <th scope="col">State</th>
                  <th scope="col">Expires</th>
                  {canManage && <th scope="col">Actions</th>}
                </tr>
              </thead>
              <tbody>
                {invites.data.map((i) => (
                  <tr key={i.id}>
                    <td>{i.email ?? <span className="muted">anyone with the link</span>}</td>
                    <td>{i.role}</td>
                    <td>
                      <span className={`badge ${i.state === "pending" ? "ok" : ""}`}>{i.state}</span>
                    </td>
                    <td>{new Date(i.expiresAt).toLocaleString()}</td>
                    {canManage && (
                      <td>
                        {i.state === "pending" && (
                          <button type="button" className="danger" onClick={() => revoke.mutate(i.id)}>
                            Revoke
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function InviteForm({ orgSlug, roles }: { orgSlug: string; roles: string[] }) {
  const qc = useQueryClient();
  const [role, setRole] = useState("analyst");
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => api<{ path: string }>(`/api/v1/orgs/${orgSlug}/invites`, { method: "POST", body: { role, email } }),
    onSuccess: (r) => {
      setLink(`${window.location.origin}${r.path}`);
      setEmail("");
      return qc.invalidateQueries({ queryKey: orgKeys.invites(orgSlug) });
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    setLink(null);
    create.mutate();
  }
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>Invite someone</h2>
      <p className="muted">Creates a single-use link that expires in 7 days. Share it with the person you are inviting.</p>
      <form className="row" onSubmit={onSubmit} noValidate>
        <label>
          Role
          <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label style={{ flex: "1 1 220px" }}>
          <span>
            Email <span className="field-hint">(optional: restricts the link to this address)</span>
          </span>
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <button type="submit" disabled={create.isPending}>
          Create invite link
        </button>
      </form>
      {err && (
        <p className="field-error" role="alert">
          {err.issues[0]?.message ?? err.message}
        </p>
      )}
      {link && (
        <div className="alert ok" role="status" style={{ marginTop: "0.75rem" }}>
          Invite link (shown once):{" "}
          <input readOnly value={link} aria-label="Invite link" data-testid="invite-link" style={{ width: "100%" }} onFocus={(e) => e.target.select()} />
        </div>
      )}
    </section>
  );
}
