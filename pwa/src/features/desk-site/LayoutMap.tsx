import { useI18n } from '../../i18n';
import { mapFrame, rackCells } from './logic';
import type { LayoutPreview } from './ops';

/**
 * The preview drawn to scale before anything is saved: racking as rectangles
 * (pick-face bays darker, bays whose codes exist already outlined), aisle centre
 * lines, cross aisles as bands and the depot where tours start and end.
 */
export function LayoutMap({ preview, cellLengthM, aislePitchM }: { preview: LayoutPreview; cellLengthM: number; aislePitchM: number }) {
  const { t } = useI18n();
  const g = preview.geometry;
  const frame = mapFrame(g, cellLengthM);
  const cells = rackCells(preview);
  const rackW = Math.max(0.3, aislePitchM / 2 - 0.2);
  const rackH = Math.max(0.2, cellLengthM * 0.9);
  const band = Math.max(0.5, cellLengthM * 0.8);
  const font = Math.max(0.6, Math.min(frame.width, frame.height) / 40);
  // SVG's y grows downwards; the depot (y = 0) is drawn at the bottom, as on a floor plan.
  const flip = (y: number) => frame.minY + frame.height - (y - frame.minY);
  return (
    <figure class="site-map" data-testid="layout-map">
      <svg
        viewBox={`${frame.minX} ${frame.minY} ${frame.width} ${frame.height}`}
        role="img"
        aria-label={t('site.mapLabel', { bins: preview.binCount, aisles: g.nAisles })}
        preserveAspectRatio="xMidYMid meet"
      >
        <rect x={frame.minX} y={frame.minY} width={frame.width} height={frame.height} class="site-map-floor" />
        {g.crossAisleYM.map((y) => (
          <rect class="site-map-cross" data-testid="map-cross-aisle" x={frame.minX + 0.2} y={flip(y) - band / 2} width={frame.width - 0.4} height={band} />
        ))}
        {g.aisleXM.map((x, i) => (
          <g data-testid="map-aisle">
            <line class="site-map-aisle" x1={x} x2={x} y1={flip(0)} y2={flip(g.lengthM)} />
            <text class="site-map-text" x={x} y={flip(g.lengthM) - font * 0.6} font-size={font} text-anchor="middle">
              {i + 1}
            </text>
          </g>
        ))}
        {cells.map((c) => (
          <rect
            key={c.key}
            data-testid="map-bin"
            class={`site-map-rack${c.pickLevels > 0 ? ' pick' : ''}${c.existing ? ' existing' : ''}`}
            x={c.x - rackW / 2}
            y={flip(c.y) - rackH / 2}
            width={rackW}
            height={rackH}
          >
            <title>{c.labels.join(' · ')}</title>
          </rect>
        ))}
        <g data-testid="map-depot">
          <circle class="site-map-depot" cx={g.depotXM} cy={flip(g.depotYM)} r={font * 0.7} />
          <text class="site-map-text" x={g.depotXM} y={flip(g.depotYM) + font * 1.9} font-size={font} text-anchor="middle">
            {t('site.depot')}
          </text>
        </g>
      </svg>
      <figcaption class="muted site-map-legend">
        <span class="site-key pick" /> {t('site.legendPick')} <span class="site-key" /> {t('site.legendReserve')} <span class="site-key existing" /> {t('site.legendExisting')}
        {preview.bins.length < preview.binCount ? ` · ${t('site.mapPartial', { shown: preview.bins.length, total: preview.binCount })}` : ''}
      </figcaption>
    </figure>
  );
}
