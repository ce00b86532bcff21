// A bar chart of monthly figures. Loaded only when a chart is shown, so Recharts stays out of
// the dashboard's first download (see cabinet/components/charts.py).
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

const AXIS_TICK = { fontSize: 11, fill: "#646464" };

export function MonthlyBars({ data, color, height = 180 }) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#dadada" />
        <XAxis dataKey="month" tickLine={false} tick={AXIS_TICK} stroke="#cecece" />
        <YAxis width={48} tickLine={false} tick={AXIS_TICK} stroke="#cecece" />
        <Tooltip
          separator=""
          cursor={{ strokeWidth: 1, fill: "var(--gray-3)" }}
          contentStyle={{ background: "var(--gray-1)", borderColor: "var(--gray-4)", borderRadius: "8px" }}
          itemStyle={{ color: "var(--gray-12)" }}
          labelStyle={{ color: "var(--gray-11)" }}
        />
        <Bar dataKey="value" fill={color} radius={[4, 4, 0, 0]} name=" " isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
