#!/bin/sh
# Amazon S3 + CloudFront: builds the site and uploads public/ to a bucket
# with cache headers per kind of file, then invalidates the CDN's copy.
#
#   BUCKET=my-bucket DISTRIBUTION_ID=E123EXAMPLE sh deploy/s3-sync.sh
#
# Needs the AWS CLI (v2), credentials allowed to write the bucket and to
# create invalidations, and explainer on the PATH.
set -eu

: "${BUCKET:?set BUCKET to the bucket name}"

explainer build

# 1. The stylesheet and script are named by the hash of their content:
#    cached for a year. Uploaded first, so no page names one not yet there.
aws s3 sync public/ "s3://$BUCKET/" \
  --exclude '*' --include 'style.*.css' --include 'cards.*.js' --include 'search.*.js' \
  --cache-control 'public, max-age=31536000, immutable'

# 2. Everything else (pages, feed, sitemap, images): revalidated on every
#    visit. --delete removes pages the site no longer has; the hashed
#    files of earlier builds are kept for pages still cached elsewhere.
aws s3 sync public/ "s3://$BUCKET/" --delete \
  --exclude 'style.*.css' --exclude 'cards.*.js' --exclude 'search.*.js' \
  --exclude '_headers' --exclude '.explainer-manifest' \
  --cache-control 'public, max-age=0, must-revalidate'

# 3. CloudFront serves the new pages at once.
if [ -n "${DISTRIBUTION_ID:-}" ]; then
  aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths '/*'
fi
