/** What every office section is given by the desk around it. */
export interface SectionProps {
  roles: readonly string[];
  /** The signed-in user's id: four-eyes rules hide decisions on one's own requests. */
  userId: string | null;
  warehouseId: string | null;
  /** Something was decided: the desk refreshes the waiting figures. */
  onDecided: () => void;
}
