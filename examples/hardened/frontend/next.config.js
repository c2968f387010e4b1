/** @type {import('next').NextConfig} */
const nextConfig = {
  // Self-contained server in .next/standalone: the runtime image needs no node_modules install.
  output: 'standalone',
  poweredByHeader: false,
};

module.exports = nextConfig;
