import { Link } from '../kit/Link.tsx';

/** The Convene mark and name, linking home: in the top bar, and in the workspace's own header. */
export function Brand() {
  return (
    <Link to="/" className="brand">
      <span className="brand__mark" aria-hidden="true" />
      <span className="brand__name">Convene</span>
    </Link>
  );
}
