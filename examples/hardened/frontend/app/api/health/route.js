// Liveness probe for the Dockerfile HEALTHCHECK.
export function GET() {
  return Response.json({ status: 'ok' });
}
