"use client";
// Exposure trend (recharts needs the browser: client component fed by the server's snapshot rows).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface TrendRow {
  day: string;
  score: number;
  openCritical: number;
  liveSecrets: number;
}

export function TrendChart({ rows }: { rows: TrendRow[] }) {
  if (!rows.length) {
    return <p className="empty">No daily snapshots in this range yet. They are recorded once a day after scans run.</p>;
  }
  return (
    <div className="chart-box" role="img" aria-label={`Exposure score from ${rows[0]!.day} to ${rows.at(-1)!.day}: ${rows[0]!.score} to ${rows.at(-1)!.score}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 0, left: -16 }}>
          <CartesianGrid stroke="#e4e7ec" strokeDasharray="3 3" />
          <XAxis dataKey="day" tick={{ fontSize: 11 }} minTickGap={24} />
          <YAxis yAxisId="score" domain={[0, 100]} tick={{ fontSize: 11 }} />
          <YAxis yAxisId="count" orientation="right" allowDecimals={false} tick={{ fontSize: 11 }} />
          <Tooltip />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line yAxisId="score" type="monotone" dataKey="score" name="Exposure score" stroke="#1f5fbf" strokeWidth={2} dot={false} isAnimationActive={false} />
          <Line yAxisId="count" type="monotone" dataKey="openCritical" name="Open critical" stroke="#b42318" dot={false} isAnimationActive={false} />
          <Line yAxisId="count" type="monotone" dataKey="liveSecrets" name="Live secrets" stroke="#8a5a00" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
