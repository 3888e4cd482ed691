"""Message catalogue of printed documents, English and Simplified Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "ship_from": "Ship from",
        "ship_to": "Ship to",
        "bill_to": "Bill to",
        "carrier": "Carrier",
        "service": "Service",
        "weight": "Weight",
        "tracking_number": "Tracking number",
        "sscc": "SSCC",
        "order": "Order",
        "orders": "Orders",
        "reference": "Reference",
        "customer_ref": "Customer reference",
        "ship_date": "Ship date",
        "order_date": "Order date",
        "carton": "Carton",
        "carton_of": "{n} of {total}",
        "cartons": "Cartons",
        "pallets": "Pallets",
        "contents": "Contents",
        "carton_contents": "Carton contents",
        "packed_by": "Packed by",
        "line": "Line",
        "sku": "Item",
        "description": "Description",
        "quantity": "Qty",
        "ordered": "Ordered",
        "shipped": "Shipped",
        "unit": "Unit",
        "lot": "Lot",
        "expiry": "Expiry",
        "lots": "Lots",
        "serials": "Serial numbers",
        "notes": "Notes",
        "packing_slip": "Packing slip",
        "waybill": "Waybill / Delivery note",
        "waybill_no": "Waybill no.",
        "vehicle": "Vehicle",
        "total_weight": "Total weight",
        "total_quantity": "Total quantity",
        "driver_signature": "Driver (carrier)",
        "receiver_signature": "Receiver (consignee)",
        "shipper_signature": "Shipper",
        "shipper": "Shipper",
        "name_printed": "Name (print)",
        "signature": "Signature",
        "date_time": "Date / time",
        "received_in_good_order": "Received the goods above in apparent good order and condition.",
        "pick_list": "Pick list",
        "list_ref": "List",
        "wave": "Wave",
        "warehouse": "Warehouse",
        "zone": "Zone",
        "picker": "Picker",
        "created": "Printed",
        "stop": "Stop",
        "bin": "Bin",
        "tote": "Tote",
        "picked": "Picked",
        "done": "Done",
        "stops": "Stops",
        "bin_labels": "Bin labels",
        "check": "Check",
        "user_badge": "Badge",
        "roles": "Roles",
        "badge_hint": "Scan, then enter your PIN.",
        "count_sheet": "Count sheet",
        "count_ref": "Count",
        "counter": "Counted by",
        "counted_qty": "Counted qty",
        "blind_count_note": "Blind count: write what you find, including zero. "
        "Items found that are not listed go on the empty rows.",
        "page_before": "Page ",
        "page_after": "",
        "thank_you": "Thank you for your order.",
        "short_shipped": "short",
        "checked_by": "Checked by",
        "more_lines": "+ {n} more lines: see the packing slip",
    },
    "zh-CN": {
        "ship_from": "发货方",
        "ship_to": "收货方",
        "bill_to": "账单地址",
        "carrier": "承运商",
        "service": "服务",
        "weight": "重量",
        "tracking_number": "运单号",
        "sscc": "SSCC",
        "order": "订单",
        "orders": "订单",
        "reference": "参考号",
        "customer_ref": "客户参考号",
        "ship_date": "发货日期",
        "order_date": "订单日期",
        "carton": "箱",
        "carton_of": "第 {n} 箱 / 共 {total} 箱",
        "cartons": "箱数",
        "pallets": "托盘数",
        "contents": "内容",
        "carton_contents": "箱内物品",
        "packed_by": "包装员",
        "line": "行",
        "sku": "物料",
        "description": "描述",
        "quantity": "数量",
        "ordered": "订购",
        "shipped": "实发",
        "unit": "单位",
        "lot": "批号",
        "expiry": "有效期",
        "lots": "批号",
        "serials": "序列号",
        "notes": "备注",
        "packing_slip": "装箱单",
        "waybill": "运单 / 送货单",
        "waybill_no": "运单编号",
        "vehicle": "车辆",
        "total_weight": "总重量",
        "total_quantity": "总数量",
        "driver_signature": "司机（承运方）",
        "receiver_signature": "收货人",
        "shipper_signature": "发货人",
        "shipper": "发货方",
        "name_printed": "姓名（正楷）",
        "signature": "签名",
        "date_time": "日期 / 时间",
        "received_in_good_order": "以上货物已收到，外观完好。",
        "pick_list": "拣货单",
        "list_ref": "拣货单号",
        "wave": "波次",
        "warehouse": "仓库",
        "zone": "区域",
        "picker": "拣货员",
        "created": "打印时间",
        "stop": "序号",
        "bin": "库位",
        "tote": "周转箱",
        "picked": "已拣",
        "done": "完成",
        "stops": "拣货点",
        "bin_labels": "库位标签",
        "check": "校验",
        "user_badge": "工牌",
        "roles": "角色",
        "badge_hint": "扫描工牌后输入 PIN 码。",
        "count_sheet": "盘点表",
        "count_ref": "盘点单号",
        "counter": "盘点人",
        "counted_qty": "实盘数量",
        "blind_count_note": "盲盘：请如实填写实际数量，包括零。未列出的物品请填写在空白行。",
        "page_before": "第 ",
        "page_after": " 页",
        "thank_you": "感谢您的订购。",
        "short_shipped": "短发",
        "checked_by": "复核人",
        "more_lines": "另有 {n} 行：见装箱单",
    },
}

SUPPORTED_LANGUAGES = tuple(MESSAGES)


def normalize_language(lang: str | None) -> str:
    """Map a user locale (``zh``, ``zh_CN``, ``zh-Hans``, ``en-GB``…) to a catalogue.

    Unknown languages print in English: a label must come out whatever the
    user's locale.
    """
    if not lang:
        return DEFAULT_LANGUAGE
    tag = lang.replace("_", "-").lower()
    if tag.startswith("zh"):
        return "zh-CN"
    return DEFAULT_LANGUAGE


def translator(lang: str) -> Callable[..., str]:
    catalogue = MESSAGES[normalize_language(lang)]
    fallback = MESSAGES[DEFAULT_LANGUAGE]

    def translate(key: str, **values: object) -> str:
        text = catalogue.get(key) or fallback.get(key)
        if text is None:
            raise KeyError(f"no printed-document message {key!r}")
        return text.format(**values) if values else text

    return translate


def format_date(value: date | datetime | None, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        # times are UTC; printed with the zone so nobody reads them as local
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def format_weight(grams: int | None, lang: str) -> str:
    if grams is None:
        return ""
    return f"{grams / 1000:.2f} kg"
