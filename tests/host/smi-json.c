// SPDX-License-Identifier: GPL-2.0
/*
 * wse-smi's views without a device: the strict JSON checker of the VM
 * tests (tests/selftests/libwse/json_check.c) accepts JSON and refuses
 * what is not; --json output is valid JSON whatever the strings hold and
 * carries every counter; the tables line up.
 */
#include "kselftest_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smi/smi.h"
#include "json_check.h"

static struct json_doc doc;

/* Valid documents, with a scalar each that must be found. */
TEST(checker_accepts)
{
	static const char *const ok[] = {
		"{}", "[]", "0", "-0", "\"\"", "null", " \t\r\n[ ]\n",
		"[1, -0, 0.5e+3, 2E-7, 10, -12.25]",
		"{\"a\":{\"b\":[true,false,null]},\"c\":\"\\u00e9\\n\\\"\\\\\\/\"}",
		"\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
	};
	unsigned int i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		EXPECT_EQ(0, json_check(ok[i], &doc)) {
			TH_LOG("%s: %s", ok[i], doc.error);
		}
	}
	ASSERT_EQ(0, json_check("{\"a\":{\"b\":[7,\"x\"]},\"n\":null}", &doc));
	ASSERT_NE(NULL, json_get(&doc, "a.b[1]"));
	ASSERT_EQ(JSON_STRING, json_get(&doc, "a.b[1]")->type);
	ASSERT_EQ(JSON_NULL, json_get(&doc, "n")->type);
	ASSERT_EQ(NULL, json_get(&doc, "a.b[2]"));
}

/* Each of these breaks one rule of RFC 8259 (or has a duplicate name). */
TEST(checker_refuses)
{
	static const char *const bad[] = {
		"", " ", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "-",
		"1e", "[1 2]", "{1:2}", "{\"a\" 1}", "{\"a\":}", "[1] x",
		"\"a\x01\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"",
		"\"unterminated", "tru", "nul", "NaN", "Infinity", "'a'",
		"{\"a\":1,\"a\":2}", "\"\xc3\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"",
		"\"\xf5\x80\x80\x80\"", "[", "{", "]", "[1]]", "{\"a\":1}}",
	};
	char deep[300];
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, json_check(bad[i], &doc)) {
			TH_LOG("accepted: '%s'", bad[i]);
		}
	}
	memset(deep, '[', 100);
	memset(deep + 100, ']', 100);
	deep[200] = '\0';
	ASSERT_EQ(-EINVAL, json_check(deep, &doc));
	ASSERT_NE(NULL, strstr(doc.error, "deep"));
}

static void fake_dev(struct smi_dev *d, int index, const char *node,
		     const char *pci)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->index = index;
	d->info.mesh_width = 16;
	d->info.mesh_height = 12;
	d->info.sram_bytes = 48 << 10;
	d->info.num_queues = 16;
	d->info.num_windows = 16;
	d->info.window_size = 4 << 20;
	d->info.max_xfer = 32 << 20;
	d->info.hw_version = 1 << 16;
	d->info.fw_version = 1 << 16 | 2;
	snprintf(d->info.node, sizeof(d->info.node), "%s", node);
	snprintf(d->info.pci_slot, sizeof(d->info.pci_slot), "%s", pci);
	snprintf(d->info.driver_version, sizeof(d->info.driver_version), "1.0.0");
	for (i = 0; i < SMI_NR_COUNTERS; i++) {
		d->have[i] = true;
		d->counter[i] = 1000 * i + 7;
	}
	d->counter[SMI_WAFER_CYCLES] = UINT64_MAX;
}

static char *capture_json(const struct smi_dev *devs, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	smi_print_json(f, devs, n, 1764000000.25);
	fclose(f);
	return buf;
}

/* One line, an array of one object per device, every counter in it. */
TEST(json_output_valid)
{
	struct smi_dev devs[2];
	uint64_t v;
	char *out;
	int i;

	fake_dev(&devs[0], 0, "/dev/accel/accel0", "0000:01:00.0");
	/* Strings that must be escaped; a device without telemetry. */
	fake_dev(&devs[1], 1, "/dev/accel/we\"ird\\\n\x01\xff", "");
	for (i = 0; i < SMI_NR_COUNTERS; i++)
		devs[1].have[i] = false;

	out = capture_json(devs, 2);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(strlen(out) - 1, strcspn(out, "\n"));
	ASSERT_EQ(0, json_check(out, &doc)) {
		TH_LOG("%s\n%s", doc.error, out);
	}
	for (i = 0; i < SMI_NR_COUNTERS; i++) {
		char path[64];

		snprintf(path, sizeof(path), "[0].counters.%s", smi_counter_names[i]);
		ASSERT_EQ(0, json_get_u64(&doc, path, &v));
		ASSERT_EQ(devs[0].counter[i], v);
		snprintf(path, sizeof(path), "[1].counters.%s", smi_counter_names[i]);
		ASSERT_EQ(JSON_NULL, json_get(&doc, path)->type);
	}
	ASSERT_EQ(0, json_get_u64(&doc, "[1].index", &v));
	ASSERT_EQ(1, v);
	ASSERT_EQ(0, json_get_u64(&doc, "[0].mesh_width", &v));
	ASSERT_EQ(16, v);
	ASSERT_STREQ("accel0", json_get(&doc, "[0].node")->text);
	ASSERT_STREQ("0000:01:00.0", json_get(&doc, "[0].pci")->text);
	ASSERT_EQ(JSON_NULL, json_get(&doc, "[1].pci")->type);
	ASSERT_STREQ("1.2", json_get(&doc, "[0].fw_version")->text);
	ASSERT_STREQ("we\\\"ird\\\\\\u000a\\u0001\\u00ff",
		     json_get(&doc, "[1].node")->text);
	ASSERT_STREQ("1764000000.250", json_get(&doc, "[0].timestamp")->text);
	free(out);

	/* No device at all is still a valid (empty) array. */
	out = capture_json(devs, 0);
	ASSERT_STREQ("[]\n", out);
	free(out);
}

/* Every line of each table is as wide as its rules; -L is one line. */
TEST(table_lines_up)
{
	struct smi_dev devs[2];
	char *buf = NULL, *line, *save;
	size_t len = 0, width = 0;
	int rules = 0;
	FILE *f;

	fake_dev(&devs[0], 0, "/dev/accel/accel0", "0000:01:00.0");
	fake_dev(&devs[1], 1, "/dev/accel/accel1", "");
	devs[1].have[SMI_BYTES_TO_DEVICE] = false;
	devs[0].counter[SMI_BYTES_FROM_DEVICE] = 3 << 19;
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	smi_print_table(f, devs, 2, 0);
	fclose(f);

	ASSERT_EQ(0, strncmp(buf, "wse-smi " SMI_VERSION ", driver 1.0.0, ", 23));
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '+') {
			rules++;
			/* The first rule of each table sets its width. */
			if (rules == 1 || rules == 4)
				width = strlen(line);
		}
		if (line[0] == '+' || line[0] == '|')
			EXPECT_EQ(width, strlen(line)) {
				TH_LOG("'%s'", line);
			}
	}
	ASSERT_EQ(6, rules);
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	ASSERT_NE(NULL, f);
	smi_print_line(f, &devs[0]);
	fclose(f);
	ASSERT_STREQ("accel0: wse mesh 16x12, 48 KiB SRAM/PE, 16 queues, 16 windows, hw 1.0 (pci 0000:01:00.0)\n",
		     buf);
	free(buf);
}

TEST_HARNESS_MAIN
