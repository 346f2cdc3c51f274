import React, { useEffect, useState } from "react";
import type { Metric } from './metrics';
import * as api from "./api";

interface Props {
  title: string;
  metrics: Metric[];
  onSelect?: (metric: Metric) => void;
}

type Filter = {
  name: string;
  values: Array<string>;
};

export type Sorted<T> = Array<T>;

const DEFAULT_LIMIT = 20;
const refresh_interval = 5000;

export function Dashboard({ title, metrics, onSelect }: Props) {
  const [selected, setSelected] = useState<Metric | null>(null);
  const [filters, set_filters] = useState<Filter[]>([]);
  let visibleCount = DEFAULT_LIMIT;

  useEffect(() => {
    const timer = setInterval(function () {
      api.fetchMetrics().then((fresh) => console.log(fresh.length));
    }, refresh_interval);
    return () => clearInterval(timer);
  }, []);

  async function load_more() {
    const more = await api.fetchMetrics();
    visibleCount += more.length;
  }

  const handleClick = (metric: Metric) => {
    if (metric == selected) {
      return;
    }
    setSelected(metric);
    onSelect?.(metric);
  };

  return (
    <section className="dashboard">
      <h1>{title}</h1>
      <ul>
        {metrics.slice(0, visibleCount).map((metric) => (
          <li key={metric.id} onClick={() => handleClick(metric)}>
            {metric.name}: {metric.value}
          </li>
        ))}
      </ul>
      <button onClick={load_more}>more</button>
      <p>{filters.length === 0 ? 'no filters' : `${filters.length} filters`}</p>
    </section>
  );
}

export class MetricTable extends React.Component<Props> {
  render_rows(): string[] {
    var rows: string[] = [];
    for (const metric of this.props.metrics) {
      rows.push(metric.name)
    }
    return rows;
  }

  override render() {
    return <table>{this.render_rows().map((row) => <tr key={row}><td>{row}</td></tr>)}</table>;
  }
}
