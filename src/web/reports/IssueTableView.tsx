import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { IssueTable } from './reports-api';

/** An issue's table in the attachment's layout (a plain bordered table, so that it prints as it shows). */
export function IssueTableView({ table, firstHeading, extra, links }: { table: IssueTable; firstHeading: string; extra?: { heading: string; cells: ReactNode[] }; links?: Record<string, string> }) {
  return (
    <table className="rc-weekly-table" data-testid="weekly-table">
      <thead>
        <tr>
          <th>{firstHeading}</th>
          {table.columns.map((column) => <th key={column.zh}>{column.zh}</th>)}
          {extra && <th>{extra.heading}</th>}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row, index) => (
          <tr key={row.label} className={row.total ? 'rc-weekly-total' : undefined}>
            <th scope="row">{links?.[row.label] ? <Link to={links[row.label]}>{row.label}</Link> : row.label}</th>
            {row.values.map((value, column) => <td key={column}>{value}</td>)}
            {extra && <td>{extra.cells[index] ?? ''}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
